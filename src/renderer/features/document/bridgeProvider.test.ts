import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BridgeProvider, type RoomApi } from './bridgeProvider';
import { fromBase64, toBase64 } from './base64';

/** A main process whose `offline:update-room` answers only when the test says so. */
function fakeMain(initial: Y.Doc = new Y.Doc()) {
  const calls: { update: Uint8Array; answer: () => void }[] = [];
  const api = {
    offline: {
      openRoom: () => Promise.resolve({ ok: true as const, value: { state: toBase64(Y.encodeStateAsUpdate(initial)) } }),
      updateRoom: ({ update }: { room: string; update: string }) =>
        new Promise<{ ok: true; value: Record<string, never> }>((resolve) => calls.push({ update: fromBase64(update), answer: () => resolve({ ok: true, value: {} }) })),
      roomAwareness: () => Promise.resolve({ ok: true as const, value: {} }),
      closeRoom: () => Promise.resolve({ ok: true as const, value: {} }),
    },
    on: () => () => undefined,
  } as unknown as RoomApi;
  return { api, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const text = (doc: Y.Doc): string => doc.getText('t').toJSON();
/** What main ends up holding: every update it was handed, applied in the order it got them. */
function mainCopy(calls: { update: Uint8Array }[]): Y.Doc {
  const doc = new Y.Doc();
  for (const call of calls) Y.applyUpdate(doc, call.update);
  return doc;
}

const providers: BridgeProvider[] = [];
afterEach(() => {
  for (const provider of providers.splice(0)) provider.destroy();
});

async function open(api: RoomApi): Promise<{ provider: BridgeProvider; doc: Y.Doc }> {
  const doc = new Y.Doc();
  const provider = new BridgeProvider(api, 'doc:d1', doc, (error) => {
    throw new Error(error.message);
  });
  providers.push(provider);
  await provider.connect();
  return { provider, doc };
}

describe('BridgeProvider: local edits reach main in batches', () => {
  it('merges the edits made while a call is in flight into one call, losing none and keeping order', async () => {
    const { api, calls } = fakeMain();
    const { provider, doc } = await open(api);
    const typed = doc.getText('t');
    typed.insert(0, '关');
    await settle();
    expect(calls).toHaveLength(1);
    // A burst while the first call waits for main: one more call, not one per keystroke.
    for (const [i, ch] of [...'于做好冬季安全'].entries()) typed.insert(1 + i, ch);
    typed.delete(3, 1);
    await settle();
    expect(calls).toHaveLength(1);
    calls[0]!.answer();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.answer();
    await provider.flush();
    expect(calls).toHaveLength(2);
    expect(text(mainCopy(calls))).toBe(text(doc));
    expect(text(doc)).toBe('关于做冬季安全');
  });

  it('flush waits for edits queued behind a call in flight', async () => {
    const { api, calls } = fakeMain();
    const { provider, doc } = await open(api);
    doc.getText('t').insert(0, '一');
    await settle();
    doc.getText('t').insert(1, '二');
    let flushed = false;
    void provider.flush().then(() => (flushed = true));
    calls[0]!.answer();
    await settle();
    expect(flushed).toBe(false);
    calls[1]!.answer();
    await settle();
    expect(flushed).toBe(true);
    expect(text(mainCopy(calls))).toBe('一二');
  });

  it('sends what waits at once when the page is hidden, without waiting for the call in flight', async () => {
    const { api, calls } = fakeMain();
    const { doc } = await open(api);
    doc.getText('t').insert(0, '最后');
    await settle();
    doc.getText('t').insert(2, '几个字');
    await settle();
    expect(calls).toHaveLength(1);
    window.dispatchEvent(new Event('pagehide'));
    await settle();
    expect(calls).toHaveLength(2);
    expect(text(mainCopy(calls))).toBe('最后几个字');
  });

  it('does not send main its own state back', async () => {
    const initial = new Y.Doc();
    initial.getText('t').insert(0, '已有正文');
    const { api, calls } = fakeMain(initial);
    const { doc } = await open(api);
    await settle();
    expect(text(doc)).toBe('已有正文');
    expect(calls).toHaveLength(0);
    doc.getText('t').insert(4, '。');
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('tries an edit main did not get again, with what was typed meanwhile, until main stores it', async () => {
    const stored = new Y.Doc();
    const answers: string[] = [];
    let failures = 2;
    const api = {
      ...fakeMain().api,
      offline: {
        ...fakeMain().api.offline,
        updateRoom: ({ update }: { room: string; update: string }) => {
          if (failures > 0) {
            failures -= 1;
            answers.push('unavailable');
            return Promise.resolve({ ok: false as const, error: { code: 'unavailable' as const, message: '本地服务连接已断开' } });
          }
          answers.push('ok');
          Y.applyUpdate(stored, fromBase64(update));
          return Promise.resolve({ ok: true as const, value: {} });
        },
      },
    } as unknown as RoomApi;
    const errors: string[] = [];
    const doc = new Y.Doc();
    const provider = new BridgeProvider(api, 'doc:d1', doc, (error) => errors.push(error.message), undefined, [5, 5]);
    providers.push(provider);
    await provider.connect();
    doc.getText('t').insert(0, '各单位');
    await settle();
    doc.getText('t').insert(3, '要高度重视');
    await provider.flush();
    expect(answers).toEqual(['unavailable', 'unavailable', 'ok']);
    expect(text(stored)).toBe('各单位要高度重视');
    expect(errors).toEqual([]);
  });

  it('keeps an edit main never got for the next one and says so; a refusal is said once and not repeated', async () => {
    let answer: 'unavailable' | 'forbidden' | 'ok' = 'unavailable';
    const stored = new Y.Doc();
    let calls = 0;
    const api = {
      ...fakeMain().api,
      offline: {
        ...fakeMain().api.offline,
        updateRoom: ({ update }: { room: string; update: string }) => {
          calls += 1;
          if (answer !== 'ok') return Promise.resolve({ ok: false as const, error: { code: answer, message: answer } });
          Y.applyUpdate(stored, fromBase64(update));
          return Promise.resolve({ ok: true as const, value: {} });
        },
      },
    } as unknown as RoomApi;
    const errors: string[] = [];
    const doc = new Y.Doc();
    const provider = new BridgeProvider(api, 'doc:d1', doc, (error) => errors.push(error.message), undefined, [1]);
    providers.push(provider);
    await provider.connect();
    doc.getText('t').insert(0, '第一句。');
    await provider.flush();
    expect(calls).toBe(2);
    expect(errors).toEqual(['unavailable']);
    // Main is back: the next edit carries the first one with it.
    answer = 'ok';
    doc.getText('t').insert(4, '第二句。');
    await settle();
    await provider.flush();
    expect(text(stored)).toBe('第一句。第二句。');
    // Refused (the body is no longer this person's to edit): reported, not tried again.
    answer = 'forbidden';
    doc.getText('t').insert(8, '第三句。');
    await settle();
    await provider.flush();
    expect(errors).toEqual(['unavailable', 'forbidden']);
    expect(calls).toBe(4);
  });
});
