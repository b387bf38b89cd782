/**
 * The whole renderer ↔ main contract: every call and every pushed event. Add a domain by writing
 * `<domain>.contract.ts` beside this file and naming it here; the preload, the IPC registration and
 * the web host's bridge all derive from this one object.
 */
import type { ClientOf, EventSubscriber } from './contract';
import { sessionCalls, sessionEvents } from './session.contract';
import { diagnosticsCalls } from './diagnostics.contract';
import { offlineCalls, offlineEvents } from './offline.contract';
import { directoryCalls, documentCalls, documentEvents, exchangeCalls, outboxCalls } from './documents.contract';
import { sealingCalls } from './sealing.contract';
import { batchSignoffCalls, batchSignoffEvents } from './batchSignoff.contract';
import { sealsCalls } from './seals.contract';
import { delegationsCalls } from './delegations.contract';
import { attachmentsCalls } from './attachments.contract';
import { voiceCalls } from './voice.contract';
import { revisionsCalls } from './revisions.contract';
import { messagingCalls, messagingEvents } from './messaging.contract';
import { settingsCalls } from '../deployment/settings.contract';
import { windowCalls } from './window.contract';
import { badgeCalls, badgeEvents } from './badge.contract';
import { updatesCalls, updatesEvents } from './updates.contract';

export const apiContract = {
  session: sessionCalls,
  diagnostics: diagnosticsCalls,
  settings: settingsCalls,
  offline: offlineCalls,
  documents: documentCalls,
  exchange: exchangeCalls,
  directory: directoryCalls,
  outbox: outboxCalls,
  sealing: sealingCalls,
  batchSignoff: batchSignoffCalls,
  attachments: attachmentsCalls,
  seals: sealsCalls,
  delegations: delegationsCalls,
  window: windowCalls,
  voice: voiceCalls,
  badge: badgeCalls,
  updates: updatesCalls,
  messaging: messagingCalls,
  revisions: revisionsCalls,
} as const;

export const apiEvents = {
  ...sessionEvents,
  ...offlineEvents,
  ...documentEvents,
  ...badgeEvents,
  ...updatesEvents,
  ...messagingEvents,
  ...batchSignoffEvents,
} as const;

export type ApiContract = typeof apiContract;
export type ApiEvents = typeof apiEvents;

/** The object the renderer talks to, whichever transport carries it. */
export type XietongApi = ClientOf<ApiContract> & EventSubscriber<ApiEvents>;

export * from './contract';
export * from './result';
export * from './session.contract';
export * from './diagnostics.contract';
export * from './documents.contract';
export * from './sealing.contract';
export * from './batchSignoff.contract';
export * from './seals.contract';
export * from './badge.contract';
export * from './updates.contract';
export * from './messaging.contract';
