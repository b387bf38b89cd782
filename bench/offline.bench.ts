// The offline replica's figures (docs/offline.md): the inbox's first page and search with 100,000
// documents, loading a room of 100,000 updates before and after compaction, local write throughput,
// and what a call through the replica worker costs compared with the same call on the caller's thread.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { ReplicaStore } from '../src/main/services/replica/replicaStore';
import { openReplica, replicaStoreOptions } from '../src/main/services/replica/replica';

const DOCUMENTS = 100_000;
const ROOM_UPDATES = 100_000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
async function timeIt(runs: number, fn: () => unknown): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { first: times[0]!, median: median(times) };
}

// Deterministic Chinese titles and bodies built from the words official documents use.
let state = 42;
const random = (): number => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const units = ['市政府办公室', '市发展和改革委员会', '市财政局', '市教育局', '市卫生健康委员会', '市应急管理局', '市自然资源局'];
const topics = ['安全生产', '防汛抗旱', '财政预算', '乡村振兴', '营商环境', '疫情防控', '城市更新', '招商引资', '环境保护', '春节值班'];
const kinds = ['通知', '请示', '报告', '函', '纪要', '意见', '批复'];
const verbs = ['关于做好', '关于印发', '关于开展', '关于加强', '关于召开', '关于报送'];
const phrases = ['请各单位认真贯彻落实', '会议定于下周一上午召开', '请于本月底前报送书面材料', '各区县要高度重视', '确保各项工作落到实处', '特此通知', '现将有关事项通知如下'];

const dir = mkdtempSync(join(tmpdir(), 'xt-bench-offline-'));
const options = { dir, compactThreshold: 1_000_000_000 };
try {
  // ── seed 100,000 documents (on this thread: seeding is not what is measured) ────────────────
  const seedStart = performance.now();
  const store = new ReplicaStore(replicaStoreOptions(options));
  const boxes = ['todo', 'done', 'outgoing', 'incoming', 'drafts'];
  for (let batch = 0; batch < DOCUMENTS / 1000; batch += 1) {
    const entries: { document: { id: string } & Record<string, unknown>; boxes: string[] }[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const n = batch * 1000 + i;
      const title = `${pick(verbs)}${pick(topics)}工作的${pick(kinds)}`;
      const updatedAt = new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString();
      entries.push({
        document: { id: `doc-${n}`, kind: n % 2 ? 'incoming' : 'outgoing', title, docNumber: `${pick(units).slice(1, 3)}〔2024〕${n}号`, state: 'review', updatedAt, holders: ['li'] },
        boxes: [boxes[n % boxes.length]!],
      });
    }
    store.upsertDocuments(entries);
    store.db.transaction(() => {
      for (const entry of entries) {
        store.setDocumentBody(entry.document.id, `${pick(units)}：${pick(phrases)}。${pick(topics)}${pick(phrases)}，${pick(phrases)}。`);
      }
    })();
  }
  const seedMs = performance.now() - seedStart;

  // ── a room with 100,000 updates, one row each ──────────────────────────────────────────────
  const room = 'doc:bench';
  const writer = new Y.Doc();
  const text = writer.getText('body');
  const insert = store.db.prepare('INSERT INTO room_updates (room, data, created_at) VALUES (?, ?, 0)');
  const pendingRows: Uint8Array[] = [];
  writer.on('update', (update: Uint8Array) => pendingRows.push(update));
  for (let i = 0; i < ROOM_UPDATES; i += 1) {
    text.insert(Math.floor(random() * (text.length + 1)), pick(['的', '通', '知', '会', '议', '，', '。', '安', '全']));
    if (pendingRows.length >= 10_000) store.db.transaction(() => pendingRows.splice(0).forEach((u) => insert.run(room, u)))();
  }
  store.db.transaction(() => pendingRows.splice(0).forEach((u) => insert.run(room, u)))();
  const expectedLength = text.length;
  store.close();

  // ── measure through the replica worker, as the app does ───────────────────────────────────
  const replica = await openReplica(options);
  const inbox = await timeIt(20, () => replica.listBox('todo', 50));
  const search2 = await timeIt(20, () => replica.searchDocuments('通知', 50));
  const search4 = await timeIt(20, () => replica.searchDocuments('安全生产', 50));
  const searchNumber = await timeIt(20, () => replica.searchDocuments('〔2024〕777', 50));
  const hits2 = (await replica.searchDocuments('通知', 50)).length;
  const hits4 = (await replica.searchDocuments('安全生产', 50)).length;

  const loadRoom = async (): Promise<number> => {
    const doc = new Y.Doc();
    const update = await replica.loadRoom(room);
    Y.applyUpdate(doc, update!);
    const length = doc.getText('body').length;
    doc.destroy();
    return length;
  };
  let loadedLength = 0;
  const loadBefore = await timeIt(3, async () => (loadedLength = await loadRoom()));
  if (loadedLength !== expectedLength) throw new Error('room did not load whole');
  const compactStart = performance.now();
  const compacted = await replica.compactRoom(room);
  const compactMs = performance.now() - compactStart;
  const loadAfter = await timeIt(10, async () => (loadedLength = await loadRoom()));
  if (loadedLength !== expectedLength) throw new Error('room changed by compaction');
  // Yjs's own speed for the same merged update, in this process: what the replica's load is held to.
  const merged = (await replica.loadRoom(room))!;
  const readOnly = await timeIt(10, () => replica.loadRoom(room));
  const rawYjs = await timeIt(10, () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, merged);
    loadedLength = doc.getText('body').length;
    doc.destroy();
    return Promise.resolve();
  });
  if (loadedLength !== expectedLength) throw new Error('the merged update does not hold the room');

  // Local writes: each one awaited until durable (as an editor's keystroke is), then many in flight.
  const small = (() => {
    const d = new Y.Doc();
    const updates: Uint8Array[] = [];
    d.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 4000; i += 1) d.getText('t').insert(i, '字');
    return updates;
  })();
  const sequentialStart = performance.now();
  for (const update of small.slice(0, 2000)) await replica.appendRoomUpdate('doc:writes', update);
  const sequentialPerSecond = 2000 / ((performance.now() - sequentialStart) / 1000);
  const pipelinedStart = performance.now();
  await Promise.all(small.slice(2000).map((update) => replica.appendRoomUpdate('doc:writes', update)));
  const pipelinedPerSecond = 2000 / ((performance.now() - pipelinedStart) / 1000);

  const viaWorker = await timeIt(200, () => replica.getDocument('doc-500'));
  await replica.close();
  const inline = await openReplica({ ...options, mode: 'inline' });
  const onThread = await timeIt(200, () => inline.getDocument('doc-500'));
  const inboxInline = await timeIt(20, () => inline.listBox('todo', 50));
  await inline.close();

  const result = {
    documents: DOCUMENTS,
    seedSeconds: round(seedMs / 1000, 1),
    inboxFirstPageMs: round(inbox.median),
    inboxFirstPageColdMs: round(inbox.first),
    search2CharMs: round(search2.median),
    search4CharMs: round(search4.median),
    searchDocNumberMs: round(searchNumber.median),
    roomUpdates: ROOM_UPDATES,
    roomLoadBeforeCompactionMs: round(loadBefore.median, 0),
    compactionMs: round(compactMs, 0),
    roomLoadAfterCompactionMs: round(loadAfter.median),
    roomLoadRawYjsMs: round(rawYjs.median),
    roomLoadOverRawYjs: round(loadAfter.median / rawYjs.median, 2),
    roomMergedBytes: merged.byteLength,
    roomReadFromReplicaMs: round(readOnly.median),
    roomRowsAfterCompaction: compacted.after,
    durableWritesPerSecond: round(sequentialPerSecond, 0),
    pipelinedWritesPerSecond: round(pipelinedPerSecond, 0),
    workerCallMs: round(viaWorker.median, 3),
    inlineCallMs: round(onThread.median, 3),
    inboxInlineMs: round(inboxInline.median),
  };
  console.log(`seeded ${DOCUMENTS} documents (titles, numbers, bodies indexed) in ${result.seedSeconds} s`);
  console.log(`inbox first page (50 of ${DOCUMENTS / boxes.length}): ${result.inboxFirstPageMs} ms median, ${result.inboxFirstPageColdMs} ms first`);
  console.log(`search "通知" (2 chars, ${hits2} shown): ${result.search2CharMs} ms; "安全生产" (4 chars, ${hits4} shown): ${result.search4CharMs} ms; document number: ${result.searchDocNumberMs} ms`);
  console.log(`room of ${ROOM_UPDATES} updates: load ${result.roomLoadBeforeCompactionMs} ms; compaction ${result.compactionMs} ms; load after ${result.roomLoadAfterCompactionMs} ms (Y.applyUpdate of the same ${result.roomMergedBytes} bytes alone: ${result.roomLoadRawYjsMs} ms, ${result.roomLoadOverRawYjs}×; target ≤ 1.3×; reading it from the replica: ${result.roomReadFromReplicaMs} ms)`);
  console.log(`local writes (each durable before the next): ${result.durableWritesPerSecond}/s; pipelined: ${result.pipelinedWritesPerSecond}/s`);
  console.log(`one small read: ${result.workerCallMs} ms through the worker, ${result.inlineCallMs} ms on the calling thread`);
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
