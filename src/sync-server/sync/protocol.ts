/**
 * The y-websocket wire protocol (y-protocols + lib0 encoding) as the server speaks it, and the
 * frame used between server instances over pub/sub.
 *
 * Client → server messages: `[0=sync][0=step1|1=step2|2=update][varUint8Array]`,
 * `[1=awareness][varUint8Array]`, `[3=query awareness]`. Anything else is a protocol error.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** y-protocols/auth: the only auth message, `[2][0][reason]`. */
export const AUTH_PERMISSION_DENIED = 0;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** A message the client sent, decoded but not yet acted on. */
export type ClientMessage =
  | { type: 'step1'; stateVector: Uint8Array }
  | { type: 'update'; update: Uint8Array }
  | { type: 'awareness'; update: Uint8Array }
  | { type: 'queryAwareness' };

/** A message that breaks the protocol; `kind` picks the close code. */
export class ProtocolError extends Error {
  constructor(
    readonly kind: 'malformed' | 'unknown_type',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Decodes one client message. Throws {@link ProtocolError} on a truncated or malformed frame, an
 * unknown message type, or trailing bytes (a well-behaved client never sends them).
 */
export function decodeClientMessage(data: Uint8Array): ClientMessage {
  const decoder = decoding.createDecoder(data);
  let message: ClientMessage;
  try {
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const step = decoding.readVarUint(decoder);
      if (step === SYNC_STEP1) message = { type: 'step1', stateVector: decoding.readVarUint8Array(decoder) };
      else if (step === SYNC_STEP2 || step === SYNC_UPDATE) message = { type: 'update', update: decoding.readVarUint8Array(decoder) };
      else throw new ProtocolError('unknown_type', `unknown sync message type ${step}`);
    } else if (type === MESSAGE_AWARENESS) {
      message = { type: 'awareness', update: decoding.readVarUint8Array(decoder) };
    } else if (type === MESSAGE_QUERY_AWARENESS) {
      message = { type: 'queryAwareness' };
    } else {
      throw new ProtocolError('unknown_type', `unknown message type ${type}`);
    }
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    // lib0 throws plain errors ("Unexpected end of array") on truncated input.
    throw new ProtocolError('malformed', 'truncated message');
  }
  if (decoding.hasContent(decoder)) throw new ProtocolError('malformed', 'trailing bytes after message');
  return message;
}

/** `[sync][step1][stateVector]` */
export function encodeSyncStep1(stateVector: Uint8Array): Uint8Array {
  return encodeSync(SYNC_STEP1, stateVector);
}

/** `[sync][step2][update]` */
export function encodeSyncStep2(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_STEP2, update);
}

/** `[sync][update][update]` */
export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  return encodeSync(SYNC_UPDATE, update);
}

/** `[awareness][awarenessUpdate]` */
export function encodeAwareness(awarenessUpdate: Uint8Array): Uint8Array {
  return encodeTagged(MESSAGE_AWARENESS, -1, awarenessUpdate);
}

function encodeSync(step: number, payload: Uint8Array): Uint8Array {
  return encodeTagged(MESSAGE_SYNC, step, payload);
}

/**
 * `[type]([step])[length][payload]` in one allocation (no step when `step` is -1): every relayed
 * update and presence change passes through here, and lib0's growing encoder would allocate and
 * copy two or three times. Same bytes as lib0's `writeVarUint` / `writeVarUint8Array` (unsigned
 * LEB128; types and steps are below 128, so one byte each).
 */
function encodeTagged(type: number, step: number, payload: Uint8Array): Uint8Array {
  const length = payload.length;
  let lengthBytes = 1;
  for (let rest = length >>> 7; rest > 0; rest >>>= 7) lengthBytes += 1;
  let at = step < 0 ? 1 : 2;
  const message = new Uint8Array(at + lengthBytes + length);
  message[0] = type;
  if (step >= 0) message[1] = step;
  let rest = length;
  while (rest > 0x7f) {
    message[at++] = 0x80 | (rest & 0x7f);
    rest >>>= 7;
  }
  message[at++] = rest;
  message.set(payload, at);
  return message;
}

/**
 * Why the server refuses a connection's document updates, the `reason` of y-protocols' permission-denied
 * message (`[2][0][reason]`; a stock provider logs it, XieTong's client acts on it):
 * - `read-only`: the connection lost its write right (the document changed step); nothing was lost.
 * - `update-refused`: an update it sent was dropped, neither stored nor relayed.
 */
export type WriteRefusal = 'read-only' | 'update-refused';

/** `[auth][permission denied][reason]` */
export function encodePermissionDenied(reason: WriteRefusal): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AUTH);
  encoding.writeVarUint(encoder, AUTH_PERMISSION_DENIED);
  encoding.writeVarString(encoder, reason);
  return encoding.toUint8Array(encoder);
}

/** Which person announced an awareness client id: `[clientId, userId]`. */
export type AwarenessOwner = readonly [clientId: number, userId: string];

/** What one instance tells the others about a room. */
export type PeerMessage =
  | { kind: 'update'; from: string; payload: Uint8Array }
  /** `owners` names the person behind each state the sending instance's clients announced. */
  | { kind: 'awareness'; from: string; payload: Uint8Array; owners?: readonly AwarenessOwner[] }
  | { kind: 'queryAwareness'; from: string }
  /** Write rights to the room changed (a document changed step): re-decide every connection's. */
  | { kind: 'access'; from: string };

const PEER_KINDS = ['update', 'awareness', 'queryAwareness', 'access'] as const;

/**
 * `[from][kind][payload]`, then for awareness `[count]{[clientId][userId]}`: `from` lets an
 * instance ignore its own publications; the owners come last so an instance that predates them
 * still reads the rest (a rolling upgrade).
 */
export function encodePeerMessage(message: PeerMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, message.from);
  encoding.writeVarUint(encoder, PEER_KINDS.indexOf(message.kind));
  encoding.writeVarUint8Array(encoder, message.kind === 'queryAwareness' || message.kind === 'access' ? new Uint8Array(0) : message.payload);
  if (message.kind === 'awareness' && message.owners && message.owners.length > 0) {
    encoding.writeVarUint(encoder, message.owners.length);
    for (const [clientId, userId] of message.owners) {
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarString(encoder, userId);
    }
  }
  return encoding.toUint8Array(encoder);
}

/** Decodes a pub/sub frame; returns null for anything that is not one (never throws). */
export function decodePeerMessage(data: Uint8Array): PeerMessage | null {
  try {
    const decoder = decoding.createDecoder(data);
    const from = decoding.readVarString(decoder);
    const kind = PEER_KINDS[decoding.readVarUint(decoder)];
    const payload = decoding.readVarUint8Array(decoder);
    if (kind === 'queryAwareness' || kind === 'access') return { kind, from };
    if (kind === 'update') return { kind, from, payload };
    if (kind !== 'awareness') return null;
    const owners: AwarenessOwner[] = [];
    if (decoding.hasContent(decoder)) {
      const count = decoding.readVarUint(decoder);
      // Each owner takes at least two bytes: a larger count is a corrupt frame.
      if (count > data.length) return null;
      for (let i = 0; i < count; i++) owners.push([decoding.readVarUint(decoder), decoding.readVarString(decoder)]);
    }
    return { kind, from, payload, owners };
  } catch {
    return null;
  }
}
