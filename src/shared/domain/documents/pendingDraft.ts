/**
 * What the list shows in 状态 for a draft made on this computer whose creation still waits in the
 * outbox. Main writes it as the row's `stateLabel`; the renderer recognises it to word it in the
 * interface language (it is not a workflow step the terms know).
 */
export const PENDING_DRAFT_LABEL = '拟稿（待发送）';
