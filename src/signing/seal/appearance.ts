/**
 * Visible signature appearances as form XObjects: the official seal (vector), an image the admin
 * provides (PNG or JPEG), or handwritten strokes (vector paths).
 */
import { PDFName, type PDFDocument, type PDFRef } from 'pdf-lib';
import { num } from '../pdf/pdfText';
import { officialSealContent, type OfficialSealDesign } from './officialSeal';
import { strokePaths, type StrokePoint } from './vectorPath';

/** What the widget shows. */
export type AppearanceGraphic =
  | ({ readonly type: 'officialSeal' } & OfficialSealDesign)
  | { readonly type: 'image'; readonly data: Uint8Array }
  | {
      readonly type: 'handwriting';
      /** Stroke point lists in canvas coordinates (origin top-left, y downwards, as pointer events give them). */
      readonly strokes: ReadonlyArray<ReadonlyArray<StrokePoint>>;
      readonly canvasWidth: number;
      readonly canvasHeight: number;
      /** Pen width in points (default 1.6). */
      readonly lineWidth?: number;
      /** RGB 0–1 (default black). */
      readonly color?: readonly [number, number, number];
    };

function imageKind(data: Uint8Array): 'png' | 'jpeg' {
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8) return 'jpeg';
  throw new Error('the seal image must be a PNG or JPEG file');
}

/** Builds the appearance as a form XObject of `width` × `height` points and registers it in `doc`. */
export async function buildAppearance(doc: PDFDocument, graphic: AppearanceGraphic, width: number, height: number): Promise<PDFRef> {
  const context = doc.context;
  const bbox = [0, 0, width, height];
  if (graphic.type === 'officialSeal') {
    const size = Math.min(width, height);
    const content = `q 1 0 0 1 ${num((width - size) / 2)} ${num((height - size) / 2)} cm\n${officialSealContent(graphic, size)}\nQ`;
    return context.register(context.flateStream(content, { Type: 'XObject', Subtype: 'Form', BBox: bbox, Resources: {} }));
  }
  if (graphic.type === 'image') {
    const kind = imageKind(graphic.data);
    const image = kind === 'png' ? await doc.embedPng(graphic.data) : await doc.embedJpg(graphic.data);
    await image.embed();
    // Fit inside the box keeping the aspect ratio, centred.
    const scale = Math.min(width / image.width, height / image.height);
    const w = image.width * scale;
    const h = image.height * scale;
    const content = `q ${num(w)} 0 0 ${num(h)} ${num((width - w) / 2)} ${num((height - h) / 2)} cm /Seal Do Q`;
    const xobjects = context.obj({});
    xobjects.set(PDFName.of('Seal'), image.ref);
    const resources = context.obj({});
    resources.set(PDFName.of('XObject'), xobjects);
    return context.register(context.stream(content, { Type: 'XObject', Subtype: 'Form', BBox: bbox, Resources: resources }));
  }
  const { canvasWidth, canvasHeight } = graphic;
  if (!(canvasWidth > 0 && canvasHeight > 0)) throw new Error('handwriting needs a positive canvas size');
  if (!graphic.strokes.some((stroke) => stroke.length > 0)) throw new Error('handwriting has no strokes');
  const scale = Math.min(width / canvasWidth, height / canvasHeight);
  const offsetX = (width - canvasWidth * scale) / 2;
  const offsetY = (height - canvasHeight * scale) / 2;
  const [r, g, b] = graphic.color ?? [0, 0, 0];
  const paths = strokePaths(graphic.strokes, (point) => [offsetX + point.x * scale, offsetY + (canvasHeight - point.y) * scale]);
  const content = `q ${num(r)} ${num(g)} ${num(b)} RG ${num(graphic.lineWidth ?? 1.6)} w 1 J 1 j\n${paths}\nS Q`;
  return context.register(context.flateStream(content, { Type: 'XObject', Subtype: 'Form', BBox: bbox, Resources: {} }));
}
