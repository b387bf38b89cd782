/** 批量签批: the batch view opened from 待办. */
export { BatchView, type BatchViewProps } from './BatchView';
export { ApprovalConsistency } from './ApprovalConsistency';
