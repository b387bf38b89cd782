/** 附件 of documents for the renderer: `attachments:add|get|remove` (src/shared/api/attachments.contract.ts). */
export { createAttachmentsHandlers, type AttachmentsHandlers, type AttachmentsServiceOptions } from './attachmentsService';
