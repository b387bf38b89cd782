/**
 * Starts the sync server inside the web host's process (SQLite in the data folder, demo
 * organisation seeded on first run). Its log goes to stderr at warn and above, so the host's
 * stdout stays the one line with the URL that people and scripts read.
 */
import { createLogger, startServer } from '../../sync-server/index';
import type { StartEmbeddedServer } from './webHost';

export const startEmbeddedServer: StartEmbeddedServer = async ({ dataDir, host, port, demo }) => {
  const log = createLogger({ level: 'warn', write: (line) => void process.stderr.write(`${line}\n`) });
  const server = await startServer({ dataDir, host, port, demo, log });
  return { url: server.url, close: () => server.close() };
};
