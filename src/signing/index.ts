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
