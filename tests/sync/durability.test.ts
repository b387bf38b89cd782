import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';

import { closed, connectProvider, fixtureBundle, openRaw, tempDir, waitFor, waitSynced } from './helpers';

/** Starts the fixture server as a child process and resolves with its port. */
function startChild(script: string, dbPath: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [script, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('fixture server did not start')), 15_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: `ws://127.0.0.1:${match[1]}/sync` });
      }
    });
    child.once('exit', (code) => reject(new Error(`fixture server exited with ${code}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('durability across a killed server', () => {
  const tmp = tempDir();
  const bundle = fixtureBundle('syncServer');
  const script = bundle.script;
  const children: ChildProcess[] = [];
  const providers: WebsocketProvider[] = [];

  beforeAll(() => bundle.build());

  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map(exited));
    tmp.remove();
    bundle.remove();
  });

  it('keeps every update it broadcast when killed with SIGKILL mid-stream', async () => {
    const dbPath = join(tmp.dir, 'kill.db');
    const first = await startChild(script, dbPath);
    children.push(first.child);
    const writer = connectProvider(first.url, 'doc:durable', 'tok-alice');
    const observer = connectProvider(first.url, 'doc:durable', 'tok-alice');
    providers.push(writer, observer);
    await Promise.all([waitSynced(writer), waitSynced(observer)]);
    // The observer only learns of an edit through the server's broadcast.
    const seen = new Set<string>();
    observer.doc.getMap<number>('edits').observe((event) => {
      for (const key of event.keysChanged as Set<string>) seen.add(key);
    });
    let written = 0;
    const editing = setInterval(() => {
      for (let i = 0; i < 5; i++) writer.doc.getMap<number>('edits').set(`e${written++}`, written);
    }, 2);
    try {
      await waitFor(() => seen.size >= 300, 'observer receives 300 broadcast edits');
    } finally {
      first.child.kill('SIGKILL');
      clearInterval(editing);
    }
    await exited(first.child);
    writer.destroy();
    observer.destroy();
    const broadcast = [...seen];

    const second = await startChild(script, dbPath);
    children.push(second.child);
    const reader = connectProvider(second.url, 'doc:durable', 'tok-alice');
    providers.push(reader);
    await waitSynced(reader);
    const stored = reader.doc.getMap<number>('edits');
    const missing = broadcast.filter((key) => !stored.has(key));
    expect(missing).toEqual([]);
  });

  it('a graceful stop flushes and closes every socket with 1001', async () => {
    const dbPath = join(tmp.dir, 'graceful.db');
    const first = await startChild(script, dbPath);
    children.push(first.child);
    const writer = connectProvider(first.url, 'doc:graceful', 'tok-alice');
    providers.push(writer);
    await waitSynced(writer);
    const raw = await openRaw(`${first.url}/doc:graceful?token=tok-alice`);
    const closing = closed(raw);
    writer.doc.getText('body').insert(0, '最后一句话');
    await new Promise((resolve) => setTimeout(resolve, 50));
    writer.destroy();
    first.child.kill('SIGTERM');
    expect(await closing).toEqual({ code: 1001, reason: 'server shutting down' });
    await exited(first.child);
    expect(first.child.exitCode).toBe(0);

    const second = await startChild(script, dbPath);
    children.push(second.child);
    const reader = connectProvider(second.url, 'doc:graceful', 'tok-alice');
    providers.push(reader);
    await waitSynced(reader);
    await waitFor(() => reader.doc.getText('body').toJSON() === '最后一句话', 'the edit survived the restart');
  });
});
