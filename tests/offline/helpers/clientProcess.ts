/**
 * A client process for the crash and randomized tests: the real offline services (replica worker,
 * sync client, outbox over HTTP) in their own Node process, so the test can SIGKILL it. Reads one
 * JSON command per line on stdin, answers one JSON line on stdout per acknowledgement — an "ack"
 * is printed only after the services said the edit or command is stored.
 *
 * Env: XT_DIR (user data), XT_SERVER (http URL), XT_ROOM, XT_TOKEN.
 */
import { createInterface } from 'node:readline';
import * as Y from 'yjs';
import { createOfflineServices } from '../../../src/main/services/sync/offlineServices';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`missing ${name}`);
  return value;
};

const print = (message: unknown) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function main(): Promise<void> {
  const room = env('XT_ROOM');
  const services = await createOfflineServices({
    userDataDir: env('XT_DIR'),
    serverUrl: env('XT_SERVER'),
    getToken: () => env('XT_TOKEN'),
    currentUserId: () => 'li',
    onSignedOut: (reason) => print({ signedOut: reason }),
    onError: (error) => print({ error: String(error) }),
    backoff: { baseMs: 20, maxMs: 300 },
    compactThreshold: 40,
    requestTimeoutMs: 2_000,
  });
  const handle = await services.sync.open(room);
  // The renderer's copy: edits are made here and handed over as updates, as the UI does.
  const mirror = new Y.Doc();
  Y.applyUpdate(mirror, Y.encodeStateAsUpdate(handle.doc));
  handle.onRemoteUpdate((update) => Y.applyUpdate(mirror, update));

  const edit = async (marker: string) => {
    const before = Y.encodeStateVector(mirror);
    mirror.getArray<string>('log').push([marker]);
    await handle.applyLocal(Y.encodeStateAsUpdate(mirror, before));
    print({ ack: 'edit', marker });
  };
  const command = async (clientId: string, marker: string) => {
    await services.outbox.enqueue({ type: 'document.action', documentId: 'drill', action: 'approve', reason: marker }, clientId);
    print({ ack: 'command', clientId });
  };

  print({ ready: true, state: handle.doc.getArray<string>('log').toArray() });

  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const op = JSON.parse(line) as { op: string; marker?: string; clientId?: string; prefix?: string; ids?: string[] };
    if (op.op === 'edit') await edit(op.marker!);
    else if (op.op === 'command') await command(op.clientId!, op.marker!);
    else if (op.op === 'state') {
      print({
        state: handle.doc.getArray<string>('log').toArray(),
        pending: (await services.outbox.list('pending')).length,
        connection: services.sync.state,
        synced: handle.synced,
      });
    } else if (op.op === 'outbox') {
      print({ outbox: await services.outbox.list() });
    } else if (op.op === 'burst') {
      // Edits and commands as fast as the services acknowledge them, until the test kills us.
      const ids = op.ids ?? [];
      for (let i = 0; i < 100_000; i += 1) {
        await edit(`${op.prefix}-e${i}`);
        const id = ids[i];
        if (id) await command(id, `${op.prefix}-c${i}`);
      }
    } else if (op.op === 'exit') {
      await services.close();
      print({ closed: true });
      process.exit(0);
    }
  }
}

main().catch((error: unknown) => {
  print({ fatal: String(error instanceof Error ? error.stack : error) });
  process.exit(1);
});
