/**
 * `npm run web` (bundled to dist/web.mjs): the client in a browser. Prints exactly one line with the
 * URL, and shuts down cleanly — the bridge, the services and an embedded server — on SIGINT/SIGTERM.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RotatingLog } from '../services/logging';
import { readWebHostConfig } from './config';
import { startEmbeddedServer } from './embeddedServer';
import { startWebHost } from './webHost';

async function main(): Promise<void> {
  const config = readWebHostConfig(process.env, process.cwd());
  // Where 导出诊断信息 looks for logs (<userData>/logs, userData being <data>/client).
  const log = new RotatingLog({ dir: join(config.dataDir, 'client', 'logs'), name: 'main' }).logger('web');
  const host = await startWebHost({
    ...config,
    log,
    // dist/web.mjs sits beside out/: the built renderer is ../out/renderer from the bundle.
    rendererDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    startEmbeddedServer,
  });
  console.log(`XieTong web: ${host.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl-C means "now": do not wait for a hung shutdown.
      process.exit(130);
    }
    stopping = true;
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`XieTong web: shutdown after ${signal} failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`XieTong web: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
