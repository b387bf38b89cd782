/**
 * The batch view's saved handwritten signature moved from the window's localStorage to main: a
 * signature found in localStorage is handed to main once and removed from the window; when main
 * already has one, main's wins and the old local copy is dropped; a damaged local copy is dropped
 * and never sent.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Result, XietongApi } from '../../src/shared/api';
import type { InkDrawing } from '../../src/shared/domain/documents/opinion';
import { loadSavedSignature, saveSignature } from '../../src/renderer/features/batch/savedSignature';

const drawing = (x: number): InkDrawing => ({ width: 300, height: 100, strokes: [{ color: 'black', size: 3, points: [[x, 10, 0.5, 0, 0, 0]] }] });
const KEY = 'xietong.batchSignature.user-wang';
const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

function fakeMain(initial: InkDrawing | null) {
  const state = { ink: initial, saves: [] as Array<InkDrawing | null> };
  const api = {
    session: { current: () => ok({ user: { id: 'user-wang' } }) },
    batchSignoff: {
      savedInk: () => ok({ ink: state.ink }),
      saveInk: ({ ink }: { ink: InkDrawing | null }) => {
        state.saves.push(ink);
        state.ink = ink;
        return ok({ ink });
      },
    },
  } as unknown as XietongApi;
  return { api, state };
}

beforeEach(() => window.localStorage.clear());

describe('saved handwritten signature', () => {
  it('moves a signature kept in the window to main once, then reads it from main', async () => {
    window.localStorage.setItem(KEY, JSON.stringify(drawing(5)));
    const main = fakeMain(null);
    expect(await loadSavedSignature(main.api)).toEqual(drawing(5));
    expect(main.state.saves).toEqual([drawing(5)]);
    expect(window.localStorage.getItem(KEY)).toBeNull();
    expect(await loadSavedSignature(main.api)).toEqual(drawing(5));
    expect(main.state.saves).toHaveLength(1);
  });

  it('keeps main’s signature over an old local one, and drops a damaged local one unsent', async () => {
    window.localStorage.setItem(KEY, JSON.stringify(drawing(5)));
    const main = fakeMain(drawing(7));
    expect(await loadSavedSignature(main.api)).toEqual(drawing(7));
    expect(main.state.saves).toEqual([]);
    expect(window.localStorage.getItem(KEY)).toBeNull();

    window.localStorage.setItem(KEY, '{"width":');
    const empty = fakeMain(null);
    expect(await loadSavedSignature(empty.api)).toBeNull();
    expect(empty.state.saves).toEqual([]);
    expect(window.localStorage.getItem(KEY)).toBeNull();
  });

  it('saves a new drawing in main, not in the window', async () => {
    const main = fakeMain(null);
    expect(await saveSignature(main.api, drawing(3))).toBeNull();
    expect(main.state.ink).toEqual(drawing(3));
    expect(window.localStorage.length).toBe(0);
  });
});
