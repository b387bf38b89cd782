/**
 * The leader's handwritten signature for 批量签批: drawn once on the InkPad and kept as vector strokes
 * (the InkDrawing itself, never a picture), per person, in main's replica (`batchSignoff:savedInk`),
 * so a cleared browser profile keeps it and people sharing a desk never see each other's.
 *
 * Earlier versions kept it in this window's localStorage: found there, it moves to main once and the
 * local copy is removed (a damaged one is dropped, not trusted).
 */
import { InkDrawingSchema, type InkDrawing } from '../../../shared/domain/documents/opinion';
import type { XietongApi } from '../../../shared/api';
import type { ErrorText } from '../../../shared/errors';

const legacyKeyFor = (userId: string) => `xietong.batchSignature.${userId}`;

async function userId(api: XietongApi): Promise<string | null> {
  const result = await api.session.current({});
  return result.ok && result.value ? result.value.user.id : null;
}

/** What this window kept before the signature moved to main: absent, damaged, or a drawing. */
function readLegacy(id: string): { found: boolean; drawing: InkDrawing | null } {
  try {
    const stored = window.localStorage.getItem(legacyKeyFor(id));
    if (stored === null) return { found: false, drawing: null };
    const parsed = InkDrawingSchema.safeParse(JSON.parse(stored));
    return { found: true, drawing: parsed.success ? parsed.data : null };
  } catch {
    return { found: true, drawing: null };
  }
}

function removeLegacy(id: string): void {
  try {
    window.localStorage.removeItem(legacyKeyFor(id));
  } catch {
    // Storage unavailable: nothing was kept there either.
  }
}

export async function loadSavedSignature(api: XietongApi): Promise<InkDrawing | null> {
  const saved = await api.batchSignoff.savedInk({});
  if (!saved.ok) return null;
  const id = await userId(api);
  if (!id) return saved.value.ink;
  const legacy = readLegacy(id);
  if (!legacy.found) return saved.value.ink;
  if (legacy.drawing && !saved.value.ink) {
    // Moved once; the window's copy goes only after main has kept it.
    const moved = await api.batchSignoff.saveInk({ ink: legacy.drawing });
    if (!moved.ok) return legacy.drawing;
  }
  removeLegacy(id);
  return saved.value.ink ?? legacy.drawing;
}

/** Keeps the drawing in main for this person (null forgets it); the error when main could not (the view words it). */
export async function saveSignature(api: XietongApi, drawing: InkDrawing | null): Promise<ErrorText | null> {
  const result = await api.batchSignoff.saveInk({ ink: drawing });
  return result.ok ? null : result.error;
}
