/**
 * A person's colour in a body's presence (caret and name tag) and in its tracked revisions
 * (修订痕迹): derived from the user id alone, so the same person has the same colour on every screen
 * and in every view, and nobody picks someone else's. Dark enough for white text on it.
 */
const PALETTE = ['#c0392b', '#1f6f8b', '#2e7d32', '#8e44ad', '#b9770e', '#00796b', '#ad1457', '#3949ab'] as const;

/** The presence colour of a user id (one of eight, stable): FNV-1a over the id's UTF-16 code units. */
export function presenceColor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return PALETTE[hash % PALETTE.length]!;
}
