/**
 * A real sync server with the demo organisation, and signed-in app services (main's dispatcher,
 * as the renderer reaches it) per demo person. Registers its own beforeAll/afterAll.
 */
import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppServices } from '../../../src/main/services/app';
import type { AppServices } from '../../../src/main/services/appServices';
import { plainSecretBox } from '../../../src/main/webHost/plainSecrets';
import type { Result } from '../../../src/shared/api';
import { startServer, silentLogger, type RunningServer } from '../../../src/sync-server/index';

export interface DemoClient {
  call<T>(channel: string, input: unknown): Promise<Result<T>>;
  /** The call's value; throws with the error's code and message when it fails. */
  value<T>(channel: string, input: unknown): Promise<T>;
}

/** Call at a test file's top level; `client(username)` signs a demo person in with demo1234. */
export function useDemoServer(tmpPrefix: string): { client(username: string): Promise<DemoClient> } {
  let root = '';
  let server: RunningServer | undefined;
  const opened: AppServices[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), tmpPrefix));
    server = await startServer({ host: '127.0.0.1', port: 0, demo: true, log: silentLogger, dataDir: join(root, 'server') });
  }, 120_000);

  afterAll(async () => {
    for (const services of opened) await services.close();
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  return {
    async client(username) {
      if (!server) throw new Error('the demo server is not started yet (call client() inside a test)');
      const services = await createAppServices({
        userDataDir: mkdtempSync(join(root, `client-${username}-`)),
        serverUrl: server.url,
        secrets: plainSecretBox,
        emit: () => undefined,
      });
      opened.push(services);
      const call = <T>(channel: string, input: unknown) => services.dispatcher.dispatch(channel, input) as Promise<Result<T>>;
      const value = async <T>(channel: string, input: unknown): Promise<T> => {
        const result = await call<T>(channel, input);
        if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
        return result.value;
      };
      await value('session:login', { username, password: 'demo1234' });
      return { call, value };
    },
  };
}
