/**
 * What 导出 Word prints around the body, from what the app knows of the document: the same 版头 and
 * 落款 the server's GB/T 9704 rendering draws (src/signing/render/officialDocument.ts), as text.
 */
import type { DocumentView } from '../../../shared/http/documents';
import { chinaDateOf, formatDocNumber, formatSecrecy, urgencyLabels } from '../../../shared/domain/documents/model';
import type { DocxFrame } from '../editor/docxExport';

export function exportFrameOf(view: DocumentView): DocxFrame {
  const fields = view.fields;
  const docNumber = fields.docNumber ? formatDocNumber(fields.docNumber) : view.docNumber;
  // 成文日期: the date set on the document, else the day the leader signed it off (GB/T 9704 7.3.5.1).
  const writtenDate = fields.writtenDate ?? (view.signedOffBy ? chinaDateOf(view.signedOffBy.at) : undefined);
  // 签发人 are printed on upward documents only (7.2.5), as the PDF does.
  const upward = fields.type === 'report' || fields.type === 'request';
  return {
    issuingOrgan: fields.issuingOrgan,
    ...(docNumber ? { docNumber } : {}),
    ...(upward && fields.signatories.length > 0 ? { signatories: fields.signatories } : {}),
    ...(fields.copyNumber ? { copyNumber: fields.copyNumber } : {}),
    secrecy: formatSecrecy(fields.secrecy),
    urgency: urgencyLabels[fields.urgency],
    ...(writtenDate ? { writtenDate } : {}),
    ...(fields.note ? { note: fields.note } : {}),
  };
}
