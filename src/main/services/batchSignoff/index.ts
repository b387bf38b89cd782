/** 批量签批 (issue 17): the batch state machine, the approval sheet, and the `batchSignoff:*` service. */
export { createBatchSignoffService, type BatchSignoffHandlers, type BatchSignoffService, type BatchSignoffServiceOptions } from './batchSignoffService';
export { runBatch, settleItem, retryFailed, progressOf, currentClientId, TransientStepError, type BatchSteps, type BatchStore, type RunOutcome } from './batchMachine';
export { buildApprovalRecord, recordDigest, renderApprovalSheet, signApprovalSheet } from './approvalSheet';
