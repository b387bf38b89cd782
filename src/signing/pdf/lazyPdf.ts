/**
 * Opens a PDF for signing by reading only the objects signing looks at.
 *
 * pdf-lib's `PDFDocument.load` parses every object of the file: pages not signed, their resources,
 * fonts, images, the info dictionary. Signing needs the catalog, the page tree down to the page the
 * widget goes on, the form and the fields already there; in a batch of three-page documents the
 * full parse was most of the time spent per document. Here the file's classic cross-reference
 * tables (and the /Prev chain of its earlier revisions) say where each object starts, and an object
 * is parsed — with pdf-lib's own object parser, into a pdf-lib context — the first time anything
 * looks it up.
 *
 * Only what this reads with certainty is read this way: a file with cross-reference streams,
 * object streams or a hybrid reference (/XRefStm), a section that does not parse, or an object not
 * found where its table says throws `LazyPdfUnsupported`, and the caller loads the whole file as
 * before (signPdf retries from the start, so nothing half-read is kept).
 */
import { PDFContext, PDFDocument, PDFName, PDFObjectParser, PDFRawStream, PDFRef, type PDFDict, type PDFObject } from 'pdf-lib';
import type { PdfTail } from './pdfTail';

/** This file cannot be read object by object here; load it whole. */
export class LazyPdfUnsupported extends Error {
  override name = 'LazyPdfUnsupported';
}

/** pdf-lib's parser internals used here (protected in its typings, public at run time). */
interface ParserInternals {
  readonly bytes: { moveTo(offset: number): void; offset(): number };
  parseObject(): PDFObject;
}

/** Cross-reference sections followed at most (a file with more is loaded whole). */
const MAX_SECTIONS = 1000;
/** How far an object's header may be from where its table says (whitespace, a stray line end). */
const HEADER_WINDOW = 64;

/**
 * The document, with objects parsed on first lookup; throws LazyPdfUnsupported for files this does
 * not read (see above), and pdf-lib's own errors for damaged objects (the caller then loads whole).
 */
export function openPdfLazily(bytes: Buffer, tail: PdfTail): PDFDocument {
  if (tail.xrefStream) throw new LazyPdfUnsupported('cross-reference stream');
  const context = PDFContext.create();
  const parser = PDFObjectParser.forBytes(bytes, context) as unknown as ParserInternals;
  const offsets = new Map<number, { offset: number; generation: number }>();
  let trailer: PDFDict | undefined;
  const seen = new Set<number>();
  for (let at: number | undefined = tail.startxref, n = 0; at !== undefined; n += 1) {
    if (n >= MAX_SECTIONS || seen.has(at)) throw new LazyPdfUnsupported('cross-reference chain too long or circular');
    seen.add(at);
    const section = readSection(bytes, at, offsets, parser);
    trailer ??= section;
    if (section.has(PDFName.of('XRefStm'))) throw new LazyPdfUnsupported('hybrid cross-reference');
    const prev = section.get(PDFName.of('Prev'));
    at = prev === undefined ? undefined : Number(prev.toString());
    if (at !== undefined && !(Number.isInteger(at) && at >= 0 && at < bytes.length)) throw new LazyPdfUnsupported('bad /Prev');
  }
  if (!trailer) throw new LazyPdfUnsupported('no trailer');
  const root = trailer.get(PDFName.of('Root'));
  if (!(root instanceof PDFRef)) throw new LazyPdfUnsupported('no /Root reference');
  // Encrypted files are refused by the whole read, with its message.
  if (trailer.has(PDFName.of('Encrypt'))) throw new LazyPdfUnsupported('encrypted');
  context.trailerInfo = {
    Root: root,
    Encrypt: trailer.get(PDFName.of('Encrypt')),
    Info: trailer.get(PDFName.of('Info')),
    ID: trailer.get(PDFName.of('ID')),
  };
  (context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects = new ObjectsOnDemand(bytes, parser, offsets);
  context.largestObjectNumber = Math.max(0, tail.size - 1);
  // The constructor is private in pdf-lib's typings; `load` calls it just so once it has parsed.
  const Document = PDFDocument as unknown as new (context: PDFContext, ignoreEncryption: boolean, updateMetadata: boolean) => PDFDocument;
  return new Document(context, false, false);
}

/**
 * Reads the classic cross-reference section at `at` into `offsets` (entries already known from a
 * newer section win) and returns its trailer dictionary.
 */
function readSection(bytes: Buffer, at: number, offsets: Map<number, { offset: number; generation: number }>, parser: ParserInternals): PDFDict {
  let text = bytes.toString('latin1', at, Math.min(bytes.length, at + 4096));
  if (!text.startsWith('xref')) throw new LazyPdfUnsupported('not a classic cross-reference table');
  // A table of many objects is longer than the first look: read on until its trailer.
  let trailerAt = text.indexOf('trailer');
  if (trailerAt < 0) {
    text = bytes.toString('latin1', at);
    trailerAt = text.indexOf('trailer');
    if (trailerAt < 0) throw new LazyPdfUnsupported('cross-reference table without trailer');
  }
  const tokens = text.slice(4, trailerAt).trim().split(/\s+/).filter(Boolean);
  for (let i = 0; i < tokens.length; ) {
    const first = Number(tokens[i]);
    const count = Number(tokens[i + 1]);
    if (!Number.isInteger(first) || !Number.isInteger(count) || first < 0 || count < 0 || i + 2 + count * 3 > tokens.length) {
      throw new LazyPdfUnsupported('unreadable cross-reference subsection');
    }
    i += 2;
    for (let k = 0; k < count; k += 1, i += 3) {
      const offset = Number(tokens[i]);
      const generation = Number(tokens[i + 1]);
      const kind = tokens[i + 2];
      if (!Number.isInteger(offset) || !Number.isInteger(generation) || (kind !== 'n' && kind !== 'f')) throw new LazyPdfUnsupported('unreadable cross-reference entry');
      const number = first + k;
      if (offsets.has(number)) continue;
      // A free entry in a newer section hides the object of older ones: it was deleted.
      offsets.set(number, kind === 'n' ? { offset, generation } : { offset: -1, generation });
    }
  }
  parser.bytes.moveTo(at + trailerAt + 'trailer'.length);
  const dictionary = parser.parseObject();
  if (!('get' in dictionary && 'has' in dictionary)) throw new LazyPdfUnsupported('trailer is not a dictionary');
  return dictionary as PDFDict;
}

/**
 * pdf-lib's table of a document's objects, filled on demand: a lookup of an object not parsed yet
 * parses it where the cross-reference table says it is. Enumerating it yields what was parsed or
 * added — for an incremental update exactly what may have changed.
 */
class ObjectsOnDemand extends Map<PDFRef, PDFObject> {
  constructor(
    private readonly bytes: Buffer,
    private readonly parser: ParserInternals,
    private readonly offsets: Map<number, { offset: number; generation: number }>,
  ) {
    super();
  }

  /** The first failure: once one object could not be read, no lookup answers any more. */
  private failure: Error | undefined;

  override get(ref: PDFRef): PDFObject | undefined {
    if (this.failure) throw this.failure;
    const known = super.get(ref);
    if (known !== undefined || super.has(ref)) return known;
    const entry = this.offsets.get(ref.objectNumber);
    // A free entry: the object was deleted, and a reference to it means null (as pdf-lib reads it).
    if (entry && entry.offset < 0) return undefined;
    try {
      // Not in any table, or another generation: a whole read decides what such a file means.
      if (!entry || entry.generation !== ref.generationNumber) throw new LazyPdfUnsupported(`object ${ref.objectNumber} ${ref.generationNumber} is not in the cross-reference table`);
      const object = this.parseAt(ref, entry.offset);
      super.set(ref, object);
      return object;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
  }

  override has(ref: PDFRef): boolean {
    return this.get(ref) !== undefined;
  }

  private parseAt(ref: PDFRef, offset: number): PDFObject {
    const head = this.bytes.toString('latin1', offset, Math.min(this.bytes.length, offset + HEADER_WINDOW));
    const header = /^\s*(\d+)\s+(\d+)\s+obj/.exec(head);
    if (!header || Number(header[1]) !== ref.objectNumber || Number(header[2]) !== ref.generationNumber) {
      throw new LazyPdfUnsupported(`object ${ref.objectNumber} is not where the cross-reference table says`);
    }
    this.parser.bytes.moveTo(offset + header[0].length);
    const object = this.parser.parseObject();
    if (object instanceof PDFRawStream) {
      const type = object.dict.get(PDFName.of('Type'));
      if (type === PDFName.of('ObjStm') || type === PDFName.of('XRef')) throw new LazyPdfUnsupported('object stream');
    }
    return object;
  }
}
