/**
 * PAdES signing of a PDF as an incremental update.
 *
 * pdf-lib parses the document (classic tables, xref streams, object streams); we add the signature
 * field, widget, appearance and signature dictionary, then serialise ONLY the new and changed objects
 * after the original bytes (pdf-lib can only rewrite whole files, which would break earlier signatures).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { buildSignedData, timestampAttribute } from '../cms/cadesSignature';
import { requestTimestamp, type TimestampAuthority } from '../cms/timestampClient';
import { buildAppearance, type AppearanceGraphic } from '../seal/appearance';
import type { Signer } from '../signers/signer';
import { writeIncrementalUpdate, type UpdateObject } from './incrementalWriter';
import { mm, num, pdfDate, pdfTextString } from './pdfText';
import { openPdfLazily } from './lazyPdf';
import { PdfStructureError, readPdfTail, type PdfTail } from './pdfTail';

/** Where the visible signature goes and what it shows. */
export interface SignatureAppearance {
  /** 1-based page number (default: the last page). */
  readonly page?: number;
  /** Millimetres from the page's left edge to the widget's left edge. */
  readonly x: number;
  /** Millimetres from the page's bottom edge to the widget's bottom edge (PDF's orientation). */
  readonly y: number;
  /** Widget size in millimetres (default 42 × 42, the size of an official seal). */
  readonly width?: number;
  readonly height?: number;
  readonly graphic: AppearanceGraphic;
}

/** Options of one signature. */
export interface SignPdfOptions {
  readonly reason?: string;
  readonly location?: string;
  readonly contactInfo?: string;
  /** The name in /Name (default: the certificate's common name). */
  readonly signerName?: string;
  /** The claimed signing time in /M (default: now). */
  readonly signingTime?: Date;
  /** A visible widget; without it the signature is invisible (still listed by every validator). */
  readonly appearance?: SignatureAppearance;
  /** Certification signature (DocMDP P=2: only form filling and further signatures allowed). First signature only. */
  readonly certify?: boolean;
  /** With `certify`: 2 (default) allows further signatures, 1 locks the document against any change. */
  readonly certifyPermission?: 1 | 2;
  /** With a TSA the signature becomes PAdES B-T (RFC 3161 token over the signature value). */
  readonly timestampAuthority?: TimestampAuthority;
  /** Name of the signature field (default Signature1, Signature2, …). */
  readonly fieldName?: string;
  /** Bytes reserved for the CMS (default: enough for the chain, plus room for a time-stamp token). */
  readonly signatureSize?: number;
}

/** Thrown for documents that cannot be signed (encrypted, locked by a certification, damaged). */
export class SigningError extends Error {
  override name = 'SigningError';
}

const signerNames = new WeakMap<readonly Buffer[], string>();

/** The signer certificate's CN (falls back to the whole subject). */
export function signerCommonName(chain: readonly Buffer[]): string {
  const cached = signerNames.get(chain);
  if (cached) return cached;
  const [leaf] = chain;
  if (!leaf) throw new SigningError('the signer has no certificate');
  const subject = new X509Certificate(leaf).subject;
  const name = /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;
  signerNames.set(chain, name);
  return name;
}

function serialise(object: PDFObject): Buffer {
  const buffer = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

/** Loads a PDF for signing or verification, turning pdf-lib's failures into one clear line. */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  try {
    return await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/encrypted/i.test(message)) throw new SigningError('the PDF is encrypted; encrypted documents cannot be signed here', { cause: error });
    throw new PdfStructureError(`damaged PDF (${message.split('\n')[0] ?? message})`, { cause: error });
  }
}

interface SignatureFieldInfo {
  readonly name: string;
  readonly docMdpPermission?: number;
}

/** Existing signature fields (names, and the DocMDP level of a certification signature). */
function existingSignatureFields(doc: PDFDocument): SignatureFieldInfo[] {
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const result: SignatureFieldInfo[] = [];
  const visit = (field: PDFDict, depth: number): void => {
    if (depth > 20) return;
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids && !field.has(PDFName.of('FT'))) {
      for (let i = 0; i < kids.size(); i += 1) {
        const kid = kids.lookup(i);
        if (kid instanceof PDFDict) visit(kid, depth + 1);
      }
      return;
    }
    if (field.lookup(PDFName.of('FT')) !== PDFName.of('Sig')) return;
    const name = field.lookup(PDFName.of('T'));
    const value = field.lookupMaybe(PDFName.of('V'), PDFDict);
    let docMdpPermission: number | undefined;
    const references = value?.lookupMaybe(PDFName.of('Reference'), PDFArray);
    for (let i = 0; references && i < references.size(); i += 1) {
      const reference = references.lookup(i);
      if (reference instanceof PDFDict && reference.lookup(PDFName.of('TransformMethod')) === PDFName.of('DocMDP')) {
        const p = reference.lookupMaybe(PDFName.of('TransformParams'), PDFDict)?.lookupMaybe(PDFName.of('P'), PDFNumber);
        docMdpPermission = p?.asNumber() ?? 2;
      }
    }
    result.push({ name: name ? decodeName(name) : '', docMdpPermission });
  };
  for (let i = 0; fields && i < fields.size(); i += 1) {
    const field = fields.lookup(i);
    if (field instanceof PDFDict) visit(field, 0);
  }
  return result;
}

function decodeName(value: PDFObject): string {
  const candidate = value as unknown as { decodeText?: () => string };
  return typeof candidate.decodeText === 'function' ? candidate.decodeText() : value.toString();
}

/** Appends `ref` to an array entry of `owner`, marking whichever object changed. */
function appendToArray(doc: PDFDocument, owner: PDFDict, ownerRef: PDFRef, key: string, ref: PDFRef, modified: Set<PDFRef>): void {
  const name = PDFName.of(key);
  const entry = owner.get(name);
  if (entry instanceof PDFRef) {
    const array = doc.context.lookup(entry);
    if (!(array instanceof PDFArray)) throw new PdfStructureError(`damaged PDF: /${key} is not an array`);
    array.push(ref);
    modified.add(entry);
    return;
  }
  if (entry instanceof PDFArray) entry.push(ref);
  else owner.set(name, doc.context.obj([ref]));
  modified.add(ownerRef);
}

const SIGNATURE_PLACEHOLDER_MIN = 8192;

/**
 * Signs `pdf` and returns the signed file: the original bytes followed by one incremental update.
 * Throws SigningError / PdfStructureError / TimestampError / SignerError with a one-line message.
 */
export async function signPdf(pdf: Uint8Array, signer: Signer, options: SignPdfOptions = {}): Promise<Buffer> {
  const original = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const tail = readPdfTail(original);
  const { changedObjects, signatureRef, rootRef, xrefStreamNumber, id, info, signingTime } = await prepareUpdate(original, tail, options);
  let reserve = options.signatureSize ?? Math.max(SIGNATURE_PLACEHOLDER_MIN, signer.certificateChain.reduce((sum, der) => sum + der.length, 0) + 4096) + (options.timestampAuthority ? 8192 : 0);
  const dictionaryLines = (placeholderBytes: number): string[] => {
    const lines = [
      '<<',
      '/Type /Sig',
      '/Filter /Adobe.PPKLite',
      '/SubFilter /ETSI.CAdES.detached',
      `/ByteRange [${' '.repeat(40)}]`,
      `/Contents <${'0'.repeat(placeholderBytes * 2)}>`,
      `/M ${pdfTextString(pdfDate(signingTime))}`,
      `/Name ${pdfTextString(options.signerName ?? signerCommonName(signer.certificateChain))}`,
    ];
    if (options.reason) lines.push(`/Reason ${pdfTextString(options.reason)}`);
    if (options.location) lines.push(`/Location ${pdfTextString(options.location)}`);
    if (options.contactInfo) lines.push(`/ContactInfo ${pdfTextString(options.contactInfo)}`);
    if (options.certify) lines.push(`/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${options.certifyPermission === 1 ? 1 : 2} /V /1.2 >> >>]`);
    lines.push('/Prop_Build << /App << /Name /XieTong >> >>', '>>');
    return lines;
  };
  const lastByte = original[original.length - 1];
  const needsLeadingNewline = lastByte !== 0x0a && lastByte !== 0x0d;

  for (let attempt = 0; attempt < 2; attempt += 1) {
    const dictionary = Buffer.from(dictionaryLines(reserve).join('\n'), 'latin1');
    const update = writeIncrementalUpdate({
      baseLength: original.length,
      needsLeadingNewline,
      tail,
      objects: [...changedObjects, { objectNumber: signatureRef.objectNumber, generation: 0, body: dictionary }],
      trailer: { root: rootRef.toString(), info, id },
      xrefStreamNumber,
    });
    const bodyOffset = update.bodyOffsets.get(signatureRef.objectNumber) ?? 0;
    const signed = Buffer.concat([original, update.bytes]);
    const dictionaryStart = original.length + bodyOffset;
    const contentsStart = dictionaryStart + dictionary.indexOf('/Contents <') + '/Contents '.length;
    const contentsEnd = contentsStart + reserve * 2 + 2;
    const byteRange = [0, contentsStart, contentsEnd, signed.length - contentsEnd];
    const byteRangeText = byteRange.join(' ').padEnd(40, ' ');
    signed.write(byteRangeText, dictionaryStart + dictionary.indexOf('/ByteRange [') + '/ByteRange ['.length, 'latin1');
    const digest = createHash('sha256').update(signed.subarray(0, contentsStart)).update(signed.subarray(contentsEnd)).digest();
    const tsa = options.timestampAuthority;
    const cms = await buildSignedData({
      signer,
      contentDigest: digest,
      unsignedAttributes: tsa ? async (signatureValue) => [timestampAttribute(await requestTimestamp(tsa, signatureValue))] : undefined,
    });
    if (cms.length > reserve) {
      // Room was short (a long chain or a large token): redo once with exactly enough space.
      reserve = cms.length + 1024;
      continue;
    }
    signed.write(cms.toString('hex').toUpperCase(), contentsStart + 1, 'latin1');
    return signed;
  }
  throw new SigningError('the signature did not fit in the space reserved for it');
}

/** Everything of the incremental update but the signature dictionary's bytes. */
interface PreparedUpdate {
  readonly changedObjects: UpdateObject[];
  readonly signatureRef: PDFRef;
  readonly rootRef: PDFRef;
  readonly xrefStreamNumber: number | undefined;
  readonly id: string;
  readonly info: string | undefined;
  readonly signingTime: Date;
}

/**
 * The new and changed objects of the update. A file with classic cross-reference tables is read
 * object by object (lazyPdf.ts: only what signing looks at is parsed); if that reading fails for
 * any reason the whole file is loaded and the update prepared again from scratch, so a file the
 * partial read does not handle is signed exactly as before — and a real problem with the document
 * is reported by that second, complete reading.
 */
async function prepareUpdate(original: Buffer, tail: PdfTail, options: SignPdfOptions): Promise<PreparedUpdate> {
  if (!tail.xrefStream) {
    try {
      return await prepareWith(openPdfLazily(original, tail), original, tail, options);
    } catch {
      // Read whole below.
    }
  }
  return prepareWith(await loadPdf(original), original, tail, options);
}

async function prepareWith(doc: PDFDocument, original: Buffer, tail: PdfTail, options: SignPdfOptions): Promise<PreparedUpdate> {
  const context = doc.context;

  if (context.trailerInfo.Encrypt) throw new SigningError('the PDF is encrypted; encrypted documents cannot be signed here');
  const rootRef = context.trailerInfo.Root;
  if (!(rootRef instanceof PDFRef)) throw new PdfStructureError('damaged PDF: the trailer has no /Root reference');
  // New objects get numbers above everything the file declares, including free entries.
  context.largestObjectNumber = Math.max(context.largestObjectNumber, tail.size - 1);
  const firstNewNumber = context.largestObjectNumber + 1;

  const existing = existingSignatureFields(doc);
  const locked = existing.find((field) => field.docMdpPermission === 1);
  if (locked) throw new SigningError('the document carries a certification signature that forbids any change, including further signatures');
  if (options.certify && existing.length > 0) throw new SigningError('only the first signature of a document can be a certification signature');
  const names = new Set(existing.map((field) => field.name));
  let fieldName = options.fieldName ?? '';
  if (!fieldName) for (let n = existing.length + 1; !fieldName || names.has(fieldName); n += 1) fieldName = `Signature${n}`;
  if (names.has(fieldName)) throw new SigningError(`a signature field named "${fieldName}" already exists`);

  const pages = doc.getPages();
  if (pages.length === 0) throw new PdfStructureError('the PDF has no pages');
  const modified = new Set<PDFRef>();
  const appearance = options.appearance;
  const pageNumber = appearance?.page ?? pages.length;
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || pageNumber > pages.length) throw new SigningError(`page ${pageNumber} does not exist (the document has ${pages.length})`);
  const page = pages[pageNumber - 1];
  if (!page) throw new SigningError(`page ${pageNumber} does not exist`);

  // The signature dictionary is written by hand (its /Contents and /ByteRange are patched later),
  // so it only gets a number here.
  const signatureRef = context.nextRef();
  let rect = [0, 0, 0, 0];
  let appearanceRef: PDFRef | undefined;
  if (appearance) {
    const width = mm(appearance.width ?? 42);
    const height = mm(appearance.height ?? 42);
    if (!(width > 0 && height > 0)) throw new SigningError('the signature appearance needs a positive size');
    const box = page.getMediaBox();
    const left = box.x + mm(appearance.x);
    const bottom = box.y + mm(appearance.y);
    if (!Number.isFinite(left) || !Number.isFinite(bottom)) throw new SigningError('the signature position must be numbers (millimetres)');
    rect = [left, bottom, left + width, bottom + height];
    appearanceRef = await buildAppearance(doc, appearance.graphic, width, height);
  }
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    F: 132, // print + locked: the seal prints and cannot be moved
    Rect: rect.map((value) => Number(num(value))),
    P: page.ref,
  });
  widget.set(PDFName.of('T'), /^[\x20-\x7e]*$/.test(fieldName) ? PDFString.of(fieldName) : PDFHexString.fromText(fieldName));
  widget.set(PDFName.of('V'), signatureRef);
  if (appearanceRef) widget.set(PDFName.of('AP'), context.obj({ N: appearanceRef }));
  const widgetRef = context.register(widget);
  appendToArray(doc, page.node, page.ref, 'Annots', widgetRef, modified);

  const catalog = doc.catalog;
  const acroFormEntry = catalog.get(PDFName.of('AcroForm'));
  if (acroFormEntry instanceof PDFRef) {
    const acroForm = context.lookup(acroFormEntry, PDFDict);
    appendToArray(doc, acroForm, acroFormEntry, 'Fields', widgetRef, modified);
    acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    modified.add(acroFormEntry);
  } else if (acroFormEntry instanceof PDFDict) {
    appendToArray(doc, acroFormEntry, rootRef, 'Fields', widgetRef, modified);
    acroFormEntry.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    modified.add(rootRef);
  } else {
    const acroFormRef = context.register(context.obj({ Fields: [widgetRef], SigFlags: 3 }));
    catalog.set(PDFName.of('AcroForm'), acroFormRef);
    modified.add(rootRef);
  }
  if (options.certify) {
    catalog.set(PDFName.of('Perms'), context.obj({ DocMDP: signatureRef }));
    modified.add(rootRef);
  }

  // The claimed signing time (/M), fixed before anything is signed.
  const signingTime = options.signingTime ?? new Date();

  const changedObjects: UpdateObject[] = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (ref.objectNumber >= firstNewNumber || modified.has(ref)) {
      changedObjects.push({ objectNumber: ref.objectNumber, generation: ref.generationNumber, body: serialise(object) });
    }
  }
  const xrefStreamNumber = tail.xrefStream ? context.nextRef().objectNumber : undefined;
  const fileHash = (): string => createHash('md5').update(original).digest('hex');
  const id = context.trailerInfo.ID ? context.trailerInfo.ID.toString() : `[<${fileHash()}> <${fileHash()}>]`;
  const info = context.trailerInfo.Info ? context.trailerInfo.Info.toString() : undefined;
  return { changedObjects, signatureRef, rootRef, xrefStreamNumber, id, info, signingTime };

}
