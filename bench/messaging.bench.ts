/**
 * Messaging benchmark: 1,000 connected people in 100 groups of 10–200, the same offered load
 * against XieTong's chat (`/chat`, token check, membership, the message committed to SQLite before
 * it is delivered) and against a bare relay (a `ws` server that only forwards: no storage, no auth)
 * as the floor. Each server runs in a process of its own; the clients share this one.
 *
 * Prints messages delivered per second and send-to-delivery latency p50/p99 of both, side by side,
 * then a day offline caught up: 10,000 messages into a new replica after sign-in (three runs),
 * and the last line as JSON. `MSG_BENCH_RATE` (messages per second offered, default 100) and
 * `MSG_BENCH_SECONDS` (default 10) change the load; `MSG_BENCH_ONLY=catchup` runs the catch-up alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';

const PEOPLE = 1000;
const GROUPS = 100;
const RATE = Number(process.env.MSG_BENCH_RATE ?? 100);
const SECONDS = Number(process.env.MSG_BENCH_SECONDS ?? 10);
const CATCH_UP_MESSAGES = 10_000;
const CATCH_UP_CONVERSATION = 'unit.unit-szfb';
const CATCH_UP_RUNS = 3;

/** Group g has 10 + g·190/99 members (10 … 200), chosen by a fixed stride so every run is the same. */
function groupMembers(g: number): number[] {
  const size = Math.round(10 + (g * 190) / (GROUPS - 1));
  return Array.from({ length: size }, (_, i) => (g * 37 + i * 7) % PEOPLE).filter((v, i, all) => all.indexOf(v) === i);
}

// ── the servers (child processes) ───────────────────────────────────────────

async function serveRelay(): Promise<void> {
  const groups = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (ws, req) => {
    const joined = new URL(req.url ?? '/', 'http://x').searchParams.get('groups')?.split(',') ?? [];
    for (const g of joined) {
      if (!groups.has(g)) groups.set(g, new Set());
      groups.get(g)!.add(ws);
    }
    ws.on('message', (data: Buffer) => {
      const { group } = JSON.parse(data.toString('utf8')) as { group: string };
      for (const peer of groups.get(group) ?? []) peer.send(data.toString('utf8'));
    });
    ws.on('close', () => {
      for (const g of joined) groups.get(g)?.delete(ws);
    });
  });
  await new Promise<void>((resolve) => wss.on('listening', () => resolve()));
  const address = wss.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
}

async function serveXietong(): Promise<void> {
  const { startServer, silentLogger } = await import('../src/sync-server/index');
  const { hashOneTimePassword } = await import('../src/sync-server/accounts/passwords');
  const dir = mkdtempSync(join(tmpdir(), 'xt-msg-bench-'));
  const server = await startServer({ dataDir: dir, port: 0, demo: true, demoCertificates: false, log: silentLogger, messagingLimits: { burst: 1e9, perSecond: 1e9 } });
  // 1,000 people in 100 units of 10 (presence goes to one's unit). The cheap hash keeps 1,000 sign-ins short.
  const hash = await hashOneTimePassword('bench-password');
  await server.deps.db.transaction(async (tx) => {
    for (let u = 0; u < PEOPLE / 10; u++) await tx.run('INSERT INTO units (id, name, organ_code, created_at) VALUES (?, ?, ?, 1)', [`bench-unit-${u}`, `压测单位${u}`, `压${u}`]);
    for (let p = 0; p < PEOPLE; p++) {
      await tx.run("INSERT INTO users (id, username, name, unit_id, roles, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, 'staff', ?, 1, 1)", [`bench-${p}`, `bench${p}`, `人员${p}`, `bench-unit-${Math.floor(p / 10)}`, hash]);
    }
  });
  console.log(JSON.stringify({ port: server.port }));
  process.on('SIGTERM', () => void server.close().then(() => rmSync(dir, { recursive: true, force: true })).then(() => process.exit(0)));
}

/** The demo organisation with a day of a busy unit group: 10,000 messages in 市政府办公室's group. */
async function serveCatchUp(): Promise<void> {
  const { startServer, silentLogger } = await import('../src/sync-server/index');
  const dir = mkdtempSync(join(tmpdir(), 'xt-msg-bench-catchup-'));
  const server = await startServer({ dataDir: dir, port: 0, demo: true, demoCertificates: false, log: silentLogger });
  const base = `http://127.0.0.1:${server.port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhao', password: 'demo1234' }) });
  const { token } = (await login.json()) as { token: string };
  // zhao's first look creates his unit's group.
  await fetch(`${base}/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
  const start = Date.now() - 86_400_000;
  await server.deps.db.transaction(async (tx) => {
    for (let i = 1; i <= CATCH_UP_MESSAGES; i++) {
      await tx.run('INSERT INTO chat_messages (id, conversation_id, seq, sender_id, txn_id, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        `day-${i}`,
        CATCH_UP_CONVERSATION,
        i,
        'user-zhao',
        `day-txn-${i}`,
        JSON.stringify({ type: 'text', text: `第 ${i} 条通知：请各科室按时报送本周工作材料`, mentions: [] }),
        start + i * 8000,
      ]);
    }
    await tx.run('UPDATE chat_conversations SET last_seq = ?, last_message_at = ? WHERE id = ?', [CATCH_UP_MESSAGES, start + CATCH_UP_MESSAGES * 8000, CATCH_UP_CONVERSATION]);
  });
  console.log(JSON.stringify({ port: server.port }));
  process.on('SIGTERM', () => void server.close().then(() => rmSync(dir, { recursive: true, force: true })).then(() => process.exit(0)));
}

function startChild(mode: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [process.argv[1]!, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const line = buffer.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) resolve({ child, port: (JSON.parse(line) as { port: number }).port });
    });
    child.on('exit', (code) => reject(new Error(`${mode} exited with ${code}`)));
  });
}

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });

// ── the clients (this process) ──────────────────────────────────────────────

interface RunResult {
  sent: number;
  expected: number;
  delivered: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function openAll(urls: string[]): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  // 50 at a time: a thousand handshakes at once only measure the accept queue.
  for (let i = 0; i < urls.length; i += 50) {
    sockets.push(
      ...(await Promise.all(
        urls.slice(i, i + 50).map(
          (url) =>
            new Promise<WebSocket>((resolve, reject) => {
              const ws = new WebSocket(url);
              ws.once('open', () => resolve(ws));
              ws.once('error', reject);
            }),
        ),
      )),
    );
  }
  return sockets;
}

/** Offers RATE messages/s for SECONDS; `send(g, sender, stamp)` writes one; deliveries call `received(stamp)`. */
async function drive(send: (group: number, sender: number, stamp: string) => void, members: number[][], latencies: number[], deliveredRef: { n: number }): Promise<RunResult> {
  const total = RATE * SECONDS;
  let expected = 0;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const g = (i * 13) % GROUPS;
    const sender = members[g]![i % members[g]!.length]!;
    expected += members[g]!.length - 1;
    send(g, sender, `${performance.now()}`);
  }
  // Every delivery, or 30 s at most.
  const deadline = performance.now() + 30_000;
  while (deliveredRef.n < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice().sort((a, b) => a - b);
  return { sent: total, expected, delivered: deliveredRef.n, seconds, perSecond: deliveredRef.n / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function benchRelay(members: number[][]): Promise<RunResult> {
  const { child, port } = await startChild('serve-relay');
  try {
    const groupsOf = Array.from({ length: PEOPLE }, () => [] as number[]);
    members.forEach((list, g) => list.forEach((p) => groupsOf[p]!.push(g)));
    const sockets = await openAll(groupsOf.map((gs) => `ws://127.0.0.1:${port}/?groups=${gs.join(',')}`));
    const latencies: number[] = [];
    const delivered = { n: 0 };
    sockets.forEach((ws, p) =>
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { sender: number; stamp: string };
        if (message.sender === p) return;
        delivered.n += 1;
        latencies.push(performance.now() - Number(message.stamp));
      }),
    );
    const result = await drive((g, sender, stamp) => sockets[sender]!.send(JSON.stringify({ group: String(g), sender, stamp })), members, latencies, delivered);
    for (const ws of sockets) ws.terminate();
    return result;
  } finally {
    await stopChild(child);
  }
}

async function benchXietong(members: number[][]): Promise<RunResult & { stored: number }> {
  const { child, port } = await startChild('serve-xietong');
  const base = `http://127.0.0.1:${port}`;
  try {
    const tokens: string[] = [];
    for (let p = 0; p < PEOPLE; p++) {
      const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `bench${p}`, password: 'bench-password' }) });
      tokens.push(((await response.json()) as { token: string }).token);
    }
    const groupIds: string[] = [];
    for (let g = 0; g < GROUPS; g++) {
      const [creator, ...others] = members[g]!;
      const response = await fetch(`${base}/api/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[creator!]}` },
        body: JSON.stringify({ kind: 'group', title: `压测群${g}`, memberIds: others.map((p) => `bench-${p}`), clientId: `bench-group-${String(g).padStart(4, '0')}` }),
      });
      groupIds.push(((await response.json()) as { id: string }).id);
    }
    const sockets = await openAll(tokens.map((token) => `ws://127.0.0.1:${port}/chat?token=${encodeURIComponent(token)}`));
    const latencies: number[] = [];
    const delivered = { n: 0 };
    sockets.forEach((ws, p) =>
      ws.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString('utf8')) as { type: string; message?: { senderId: string; content: { text: string } } };
        if (message.type !== 'message' || message.message!.senderId === `bench-${p}`) return;
        delivered.n += 1;
        latencies.push(performance.now() - Number(message.message!.content.text));
      }),
    );
    let txn = 0;
    const result = await drive(
      (g, sender, stamp) => sockets[sender]!.send(JSON.stringify({ type: 'send', conversationId: groupIds[g], txnId: `bench-txn-${++txn}`, content: { type: 'text', text: stamp } })),
      members,
      latencies,
      delivered,
    );
    // Durable before delivered: every message sent is in the store.
    let stored = 0;
    for (let g = 0; g < GROUPS; g++) {
      const response = await fetch(`${base}/api/conversations/${groupIds[g]}/messages?limit=1`, { headers: { authorization: `Bearer ${tokens[members[g]![0]!]}` } });
      stored += ((await response.json()) as { lastSeq: number }).lastSeq;
    }
    for (const ws of sockets) ws.terminate();
    return { ...result, stored };
  } finally {
    await stopChild(child);
  }
}

interface CatchUpResult {
  /** Sign-in done → the replica holds every message (seconds), one per run, sorted. */
  seconds: number[];
  median: number;
  /** Sign-in done → every message is also in the search index (indexed once the replica is idle). */
  searchableSeconds: number[];
}

/**
 * A day offline: `li` signs in on a fresh install (a new replica) and catches up 10,000 messages of
 * her unit's group from a server in its own process. Timed from the end of sign-in to the replica
 * holding every message (its "held up to" mark), then to the search index holding them too.
 */
async function benchCatchUp(): Promise<CatchUpResult> {
  const { createAppServices } = await import('../src/main/services/app');
  const { plainSecretBox } = await import('../src/main/webHost/plainSecrets');
  const { default: Database } = await import('better-sqlite3');
  const { child, port } = await startChild('serve-catchup');
  const root = mkdtempSync(join(tmpdir(), 'xt-msg-bench-clients-'));
  const seconds: number[] = [];
  const searchableSeconds: number[] = [];
  try {
    for (let run = 0; run < CATCH_UP_RUNS; run++) {
      const userDataDir = mkdtempSync(join(root, `li-${run}-`));
      const services = await createAppServices({ userDataDir, serverUrl: `http://127.0.0.1:${port}`, secrets: plainSecretBox, emit: () => undefined });
      try {
        const login = (await services.dispatcher.dispatch('session:login', { username: 'li', password: 'demo1234' })) as { ok: boolean };
        if (!login.ok) throw new Error('li could not sign in');
        const began = performance.now();
        const file = join(userDataDir, 'users', 'user-li', 'replica', 'replica.sqlite');
        // Read beside the worker through one read-only connection (WAL: each read sees the last
        // commit), opened once the replica file exists; bounded at 60 s.
        const reader: { db: InstanceType<typeof Database> | null } = { db: null };
        const probe = (sql: string): number => {
          try {
            reader.db ??= new Database(file, { readonly: true, fileMustExist: true });
            return (reader.db.prepare(sql).get(CATCH_UP_CONVERSATION) as { n: number } | undefined)?.n ?? 0;
          } catch {
            return -1; // not created or not migrated yet
          }
        };
        const waitFor = async (sql: string, target: number): Promise<number> => {
          while (performance.now() - began < 60_000) {
            if (probe(sql) === target) return (performance.now() - began) / 1000;
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
          throw new Error('catch-up did not finish within 60 s');
        };
        seconds.push(await waitFor('SELECT synced_seq AS n FROM chat_conversations WHERE id = ?', CATCH_UP_MESSAGES));
        searchableSeconds.push(await waitFor('SELECT COUNT(*) AS n FROM message_index_queue WHERE ? IS NOT NULL', 0));
        reader.db?.close();
      } finally {
        await services.close();
      }
    }
  } finally {
    await stopChild(child);
    rmSync(root, { recursive: true, force: true });
  }
  seconds.sort((a, b) => a - b);
  searchableSeconds.sort((a, b) => a - b);
  return { seconds, median: seconds[Math.floor(seconds.length / 2)]!, searchableSeconds };
}

async function main(): Promise<void> {
  if (process.env.MSG_BENCH_ONLY === 'catchup') {
    const catchUp = await benchCatchUp();
    console.log(`catch-up   ${CATCH_UP_MESSAGES} messages: ${catchUp.seconds.map((x) => x.toFixed(2)).join(' / ')} s; searchable after ${catchUp.searchableSeconds.map((x) => x.toFixed(2)).join(' / ')} s`);
    console.log(JSON.stringify({ ok: catchUp.median < 3, catchUp }));
    process.exit(0);
  }
  const members = Array.from({ length: GROUPS }, (_, g) => groupMembers(g));
  const memberships = members.reduce((sum, list) => sum + list.length, 0);
  console.log(`${PEOPLE} people connected, ${GROUPS} groups of ${members[0]!.length}–${members.at(-1)!.length} (${memberships} memberships); ${RATE} messages/s offered for ${SECONDS} s`);
  const relay = await benchRelay(members);
  const xietong = await benchXietong(members);
  const row = (name: string, r: RunResult) =>
    `${name.padEnd(10)} delivered ${r.delivered}/${r.expected} in ${r.seconds.toFixed(1)} s = ${Math.round(r.perSecond)} deliveries/s; latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`;
  console.log(row('bare relay', relay));
  console.log(row('xietong', xietong));
  console.log(`xietong stored ${xietong.stored} of ${xietong.sent} messages (each committed before delivery)`);
  const ratio = xietong.p99 / relay.p99;
  console.log(`p99 ratio xietong ÷ relay: ${ratio.toFixed(2)}× (target ≤ 2×, and under 100 ms)`);
  const catchUp = await benchCatchUp();
  const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  console.log(`catch-up   ${CATCH_UP_MESSAGES} messages into a new replica after sign-in: ${list(catchUp.seconds)} s (median ${catchUp.median.toFixed(2)} s, target under 3 s); searchable after ${list(catchUp.searchableSeconds)} s`);
  const ok = xietong.delivered === xietong.expected && xietong.stored === xietong.sent && ratio <= 2 && xietong.p99 < 100 && catchUp.median < 3;
  console.log(JSON.stringify({ ok, people: PEOPLE, groups: GROUPS, rate: RATE, seconds: SECONDS, relay, xietong, p99Ratio: Number(ratio.toFixed(2)), catchUp }));
  process.exit(0);
}

const mode = process.argv[2];
if (mode === 'serve-relay') void serveRelay();
else if (mode === 'serve-xietong') void serveXietong();
else if (mode === 'serve-catchup') void serveCatchUp();
else
  main().catch((error: unknown) => {
    console.log(JSON.stringify({ ok: false, error: String(error) }));
    process.exit(1);
  });
