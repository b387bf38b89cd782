/** The pdf.js preview of a PDF with 打印: reusable with any PDF source (the document, the 处理笺). */
export { PdfPreview, FIRST_PAGE_MARK, type PdfPreviewProps } from './PdfPreview';
export { DocumentPdfPreview } from './DocumentPdfPreview';
export { documentPdfSource, type PdfCopy, type PdfSource } from './pdfSource';
