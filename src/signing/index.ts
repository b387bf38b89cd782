/**
 * XieTong signing library: CA tooling, PAdES signing with incremental updates, seal and handwriting
 * appearances, signer back-ends (PKCS#12, PKCS#11), verification and batch signing.
 *
 * A pure library: no app state, no Electron, no server imports. See docs/signing.md.
 */
export {
  createOrganisationCa,
  issuePersonCertificate,
  issueTimestampingCertificate,
  randomSerialHex,
  type CertificateAuthority,
  type IssuedPersonCertificate,
} from './ca/certificates';
export {
  caPaths,
  crlFromCaDirectory,
  initCaDirectory,
  issueFromCaDirectory,
  loadCaDirectory,
  normaliseSerial,
  readCaIndex,
  revokeInCaDirectory,
  type CaIndex,
  type IssuedRecord,
} from './ca/caDirectory';
export { createCrl, parseCrl, type ParsedCrl, type RevokedEntry } from './ca/crl';
export { certificateDer, certificatesFromPem } from './ca/x509Parts';
export { signPdf, SigningError, signerCommonName, type SignPdfOptions, type SignatureAppearance } from './pdf/signPdf';
export { PdfStructureError } from './pdf/pdfTail';
export type { AppearanceGraphic } from './seal/appearance';
export type { OfficialSealDesign } from './seal/officialSeal';
export type { StrokePoint } from './seal/vectorPath';
export { officialSealContent } from './seal/officialSeal';
export { loadSealFont, DEFAULT_SEAL_FONT_CANDIDATES } from './seal/sealFont';
export { SignerError, type Signer, type SignerKeyAlgorithm } from './signers/signer';
export { openPkcs12Signer, keySigner } from './signers/pkcs12Signer';
export { openPkcs11Signer, type Pkcs11SignerOptions } from './signers/pkcs11Signer';
export { requestTimestamp, timestampRequest, TimestampError, type TimestampAuthority } from './cms/timestampClient';
export { buildSignedData, type SignedDataInput } from './cms/cadesSignature';
export { parseSignedData } from './verify/cmsParse';
export { signatureVerdict } from './verify/verdict';
export { verifyPdf, type PdfVerification, type SignatureVerification, type SignatureChecks, type VerifyOptions } from './verify/verifyPdf';
export type { Check } from './verify/cmsVerify';
export { signBatch, type BatchDocument, type BatchProgress, type BatchResult } from './batch';
