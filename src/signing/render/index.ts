/** GB/T 9704-2012 rendering of official documents to PDF. */
export { renderOfficialDocument } from './officialDocument';
export type { RenderableDocument, RenderOptions, RenderedDocument, SealPlacement } from './officialDocument';
export * as gbt9704 from './pageGeometry';
export { boxContentFrame, opinionSheetBoxes, opinionSheetNames, renderOpinionSheet, sheetTime, voiceDuration } from './opinionSheet';
export type { OpinionSheetInput, RenderedOpinionSheet, SheetBoxFrame, SheetBoxName, SheetInkPlacement, SheetOpinion } from './opinionSheet';
