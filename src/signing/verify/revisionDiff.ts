/**
 * "Nothing but further signatures was appended": compares the objects of the revision a signature
 * covers with the final document. New objects are inert unless something existing points at them,
 * so the rules are about CHANGED objects: the catalog may only gain its AcroForm/DSS, the AcroForm
 * only more signature fields, a page only more signature widgets in /Annots; any other change fails.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib';

function bytesOf(object: PDFObject): Buffer {
  const buffer = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(buffer, 0);
  return buffer;
}

function same(a: PDFObject | undefined, b: PDFObject | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return bytesOf(a).equals(bytesOf(b));
}

/** True when `ref` in `doc` is a signature field/widget (directly or through its parent). */
function isSignatureField(doc: PDFDocument, entry: PDFObject | undefined): boolean {
  const object = entry instanceof PDFRef ? doc.context.lookup(entry) : entry;
  if (!(object instanceof PDFDict)) return false;
  if (object.lookup(PDFName.of('FT')) === PDFName.of('Sig')) return true;
  const parent = object.lookup(PDFName.of('Parent'));
  return parent instanceof PDFDict && parent.lookup(PDFName.of('FT')) === PDFName.of('Sig');
}

/** Old array kept as a prefix and every added entry a signature field. */
function onlySignaturesAppended(before: PDFArray | undefined, after: PDFArray | undefined, finalDoc: PDFDocument): boolean {
  if (!after) return !before;
  const old = before?.asArray() ?? [];
  const now = after.asArray();
  if (now.length < old.length) return false;
  for (let i = 0; i < old.length; i += 1) if (!same(old[i], now[i])) return false;
  return now.slice(old.length).every((entry) => isSignatureField(finalDoc, entry));
}

function resolveArray(doc: PDFDocument, value: PDFObject | undefined): PDFArray | undefined {
  const resolved = value instanceof PDFRef ? doc.context.lookup(value) : value;
  return resolved instanceof PDFArray ? resolved : undefined;
}

function changedKeys(before: PDFDict, after: PDFDict): string[] {
  const keys = new Set([...before.keys(), ...after.keys()].map((key) => key.asString()));
  return [...keys].filter((key) => !same(before.get(PDFName.of(key.slice(1))), after.get(PDFName.of(key.slice(1)))));
}

/** Checks an AcroForm dictionary change: only /Fields (signatures appended) and /SigFlags. */
function acroFormChangeAllowed(before: PDFDict, after: PDFDict, revisionDoc: PDFDocument, finalDoc: PDFDocument): string | undefined {
  for (const key of changedKeys(before, after)) {
    if (key === '/SigFlags') continue;
    if (key === '/Fields' && onlySignaturesAppended(resolveArray(revisionDoc, before.get(PDFName.of('Fields'))), resolveArray(finalDoc, after.get(PDFName.of('Fields'))), finalDoc)) continue;
    return `the form entry ${key} was changed`;
  }
  return undefined;
}

/** Lists the changes after a revision that are not further signatures (empty when there are none). */
export function disallowedChanges(revisionDoc: PDFDocument, finalDoc: PDFDocument): string[] {
  const problems: string[] = [];
  const rootRef = finalDoc.context.trailerInfo.Root;
  for (const [ref, after] of finalDoc.context.enumerateIndirectObjects()) {
    const before = revisionDoc.context.lookup(ref);
    if (before === undefined || same(before, after)) continue;
    const label = `object ${ref.objectNumber} ${ref.generationNumber}`;
    if (after instanceof PDFArray && before instanceof PDFArray) {
      if (!onlySignaturesAppended(before, after, finalDoc)) problems.push(`${label} (an array) was changed`);
      continue;
    }
    if (!(after instanceof PDFDict) || !(before instanceof PDFDict) || after instanceof PDFStream || before instanceof PDFStream) {
      problems.push(`${label} was changed`);
      continue;
    }
    const type = after.lookup(PDFName.of('Type'));
    const keys = changedKeys(before, after);
    if (ref === rootRef) {
      for (const key of keys) {
        if (key === '/DSS') continue;
        if (key === '/AcroForm') {
          const formBefore = before.lookup(PDFName.of('AcroForm'));
          const formAfter = after.lookup(PDFName.of('AcroForm'));
          // Inline forms are compared here; an indirect one is compared as its own object.
          if (formAfter instanceof PDFDict && (formBefore === undefined || formBefore instanceof PDFDict)) {
            const problem = acroFormChangeAllowed(formBefore ?? finalDoc.context.obj({}), formAfter, revisionDoc, finalDoc);
            if (!problem) continue;
            problems.push(problem);
            continue;
          }
        }
        problems.push(`the document catalog entry ${key} was changed`);
      }
      continue;
    }
    if (type === PDFName.of('Page')) {
      for (const key of keys) {
        if (key === '/Annots' && onlySignaturesAppended(resolveArray(revisionDoc, before.get(PDFName.of('Annots'))), resolveArray(finalDoc, after.get(PDFName.of('Annots'))), finalDoc)) continue;
        problems.push(`page ${label} entry ${key} was changed`);
      }
      continue;
    }
    if (after.has(PDFName.of('Fields')) || after.has(PDFName.of('SigFlags'))) {
      const problem = acroFormChangeAllowed(before, after, revisionDoc, finalDoc);
      if (problem) problems.push(problem);
      continue;
    }
    problems.push(`${label}${type instanceof PDFName ? ` (${type.asString()})` : ''} was changed`);
  }
  return problems;
}
