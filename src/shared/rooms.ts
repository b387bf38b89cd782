/**
 * Typed names of the Yjs rooms clients sync through (`ws://HOST:PORT/sync/<room>`).
 *
 * A room name is `<kind>:<id>`: `doc:<documentId>` holds a document's collaborative body,
 * `chat:<conversationId>` a conversation, `user:<userId>` a person's private room. The kind
 * decides which read/write rule the server applies, so both sides parse names with the same
 * schema instead of splitting strings by hand.
 */
import { z } from 'zod';

/** The kinds of room the server knows. */
export const RoomKindSchema = z.enum(['doc', 'chat', 'user']);
export type RoomKind = z.infer<typeof RoomKindSchema>;

/** Ids are ASCII words (UUIDs, numbers, slugs): nothing that needs escaping in a URL path. */
export const RoomIdSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, '房间标识只能包含字母、数字、点、下划线和连字符');

/** A room name's rule, with the kind and id captured (`parseRoomName` matches it directly). */
const roomNamePattern = /^(doc|chat|user):([A-Za-z0-9._-]{1,128})$/;

/** A room name as it travels in URLs and storage, e.g. `doc:4f1c…`. */
export const RoomNameSchema = z
  .string()
  .max(134)
  .regex(roomNamePattern, '房间名格式应为 doc:<id>、chat:<id> 或 user:<id>')
  .brand<'RoomName'>();
export type RoomName = z.infer<typeof RoomNameSchema>;

/** A room name split into its parts. */
export interface RoomRef {
  kind: RoomKind;
  id: string;
  name: RoomName;
}

/**
 * Parses a room name; returns null when it is not a valid `<kind>:<id>`. `RoomNameSchema`'s own
 * pattern, matched directly: the server parses a room name on every workflow step and every
 * sync message, and two zod parses per call were a measurable part of a step.
 */
export function parseRoomName(value: string): RoomRef | null {
  if (typeof value !== 'string') return null;
  const match = roomNamePattern.exec(value);
  if (!match) return null;
  return { kind: match[1] as RoomKind, id: match[2]!, name: value as RoomName };
}

/** Builds a room name from its parts; throws (a zod error) on an invalid id. */
export function formatRoomName(kind: RoomKind, id: string): RoomName {
  return RoomNameSchema.parse(`${RoomKindSchema.parse(kind)}:${RoomIdSchema.parse(id)}`);
}

/** The room holding the collaborative body of document `documentId`. */
export function documentRoom(documentId: string): RoomName {
  return formatRoomName('doc', documentId);
}
