/**
 * A person's colour in a room's presence (cursor and name tag), derived from their id on the
 * server: the same person has the same colour on every screen, and a client cannot pick someone
 * else's. Colours are dark enough for white text on them.
 */
import { createHash } from 'node:crypto';

const PALETTE = ['#c0392b', '#1f6f8b', '#2e7d32', '#8e44ad', '#b9770e', '#00796b', '#ad1457', '#3949ab'] as const;

/** The presence colour of a user id (one of eight, stable). */
export function presenceColor(userId: string): string {
  const digest = createHash('sha256').update(userId, 'utf8').digest();
  return PALETTE[digest[0]! % PALETTE.length]!;
}
