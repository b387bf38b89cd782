/**
 * The typed calls between main and the replica worker. The list of methods is explicit: the
 * worker refuses any other name, so a message can never reach a private member of the store.
 */
import type { Result } from '../../../shared/api/result';
import type { ReplicaStore } from './replicaStore';

export const replicaMethods = [
  'upsertDocuments',
  'getDocument',
  'listBox',
  'setDocumentBody',
  'removeDocument',
  'appendRoomUpdate',
  'markRoomSynced',
  'unsyncedRooms',
  'loadRoom',
  'roomRowCount',
  'compactRoom',
  'putBlob',
  'getBlob',
  'replaceDirectory',
  'listUnits',
  'listUsers',
  'putMessages',
  'listMessages',
  'putChatConversations',
  'getChatConversation',
  'listChatConversations',
  'setChatReadSeq',
  'putChatMessages',
  'chatHistory',
  'enqueueCommand',
  'nextPendingCommand',
  'recordAttempt',
  'markCommandSent',
  'markCommandRejected',
  'listOutbox',
  'outboxEntry',
  'saveBatchSignoff',
  'loadBatchSignoff',
  'loadSavedSignature',
  'saveSavedSignature',
  'searchDocuments',
  'searchMessages',
  'stats',
] as const satisfies readonly (keyof ReplicaStore)[];

export type ReplicaMethod = (typeof replicaMethods)[number];

const methodSet: ReadonlySet<string> = new Set(replicaMethods);
export const isReplicaMethod = (name: unknown): name is ReplicaMethod => typeof name === 'string' && methodSet.has(name);

/** The replica as main sees it: every store method, asynchronous. */
export type ReplicaApi = {
  readonly [K in ReplicaMethod]: (...args: Parameters<ReplicaStore[K]>) => Promise<ReturnType<ReplicaStore[K]>>;
};

export interface WorkerRequest {
  readonly id: number;
  readonly method: ReplicaMethod | 'close';
  readonly args: readonly unknown[];
}

export interface WorkerResponse {
  /** -1 for a report the worker sends on its own (a failed background compaction). */
  readonly id: number;
  readonly result: Result<unknown>;
}
