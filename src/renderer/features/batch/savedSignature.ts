/**
 * The leader's handwritten signature for 批量签批: drawn once on the InkPad and kept as vector strokes
 * (the InkDrawing itself, never a picture) on this computer, per person, to be reused by every batch.
 * What is read back is parsed with the shared schema: a damaged entry is dropped, not trusted.
 */
import { InkDrawingSchema, type InkDrawing } from '../../../shared/domain/documents/opinion';
import type { XietongApi } from '../../../shared/api';

const keyFor = (userId: string) => `xietong.batchSignature.${userId}`;

async function userId(api: XietongApi): Promise<string | null> {
  const result = await api.session.current({});
  return result.ok && result.value ? result.value.user.id : null;
}

export async function loadSavedSignature(api: XietongApi): Promise<InkDrawing | null> {
  const id = await userId(api);
  if (!id) return null;
  try {
    const parsed = InkDrawingSchema.safeParse(JSON.parse(window.localStorage.getItem(keyFor(id)) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function saveSignature(api: XietongApi, drawing: InkDrawing | null): Promise<void> {
  const id = await userId(api);
  if (!id) return;
  if (drawing) window.localStorage.setItem(keyFor(id), JSON.stringify(drawing));
  else window.localStorage.removeItem(keyFor(id));
}
