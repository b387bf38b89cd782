/**
 * `xietong server [--port 8787] [--host 127.0.0.1] [--data DIR] [--demo]  [--postgres URL --redis URL] [--trust-proxy]
 * [--session-idle-minutes 480] [--config FILE]`
 * — the sync server alone. Prints one line with its URL; stops cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../command';

/** Where the server keeps its data when `--data` is not given. */
export const DEFAULT_SERVER_DATA = './.xietong-data/server';

/** Reads and checks `--config FILE`; a clear one-line error names the file and the first problem. */
async function readExchangeConfig(file: string) {
  const { readFileSync } = await import('node:fs');
  const { ServerConfigFileSchema } = await import('../../sync-server/exchange/config');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`--config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = ServerConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`--config ${file}: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.exchange;
}

const command: CliCommand = {
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          port: { type: 'string' },
          host: { type: 'string' },
          data: { type: 'string' },
          demo: { type: 'boolean' },
          postgres: { type: 'string' },
          redis: { type: 'string' },
          'log-level': { type: 'string' },
          // Behind the organisation's own load balancer only: take the client address from the last
          // X-Forwarded-For hop, so login throttling sees people rather than the balancer.
          'trust-proxy': { type: 'boolean' },
          // How long a token works unless the client refreshes it (issue 15: default 8 h idle).
          'session-idle-minutes': { type: 'string' },
          // The server config (JSON): for now its `exchange` section (deadlines, calendar, CRL URLs).
          config: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
    const port = values.port === undefined ? 8787 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number (0–65535), got "${values.port}"`);
    if (values.redis && !values.postgres) throw new CliError('--redis needs --postgres (several instances share one PostgreSQL store)');
    const idleMinutes = values['session-idle-minutes'] === undefined ? undefined : Number(values['session-idle-minutes']);
    if (idleMinutes !== undefined && (!Number.isInteger(idleMinutes) || idleMinutes < 5 || idleMinutes > 7 * 24 * 60)) {
      throw new CliError(`--session-idle-minutes must be a whole number of minutes from 5 to 10080, got "${values['session-idle-minutes']}"`);
    }
    const level = values['log-level'] ?? 'info';
    if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new CliError('--log-level must be debug, info, warn or error');

    const exchange = values.config ? await readExchangeConfig(values.config) : undefined;
    const { startServer, createLogger } = await import('../../sync-server/index');
    // Logs go to stderr so stdout carries exactly the one line with the URL (scripts read it).
    const log = createLogger({ level: level as 'info', write: (line) => void process.stderr.write(line + '\n') });
    const server = await startServer({
      dataDir: resolve(values.data ?? DEFAULT_SERVER_DATA),
      host: values.host ?? '127.0.0.1',
      port,
      demo: values.demo ?? false,
      ...(values.postgres ? { postgresUrl: values.postgres } : {}),
      ...(values.redis ? { redisUrl: values.redis } : {}),
      trustProxy: values['trust-proxy'] ?? false,
      ...(idleMinutes !== undefined ? { tokenTtlSeconds: idleMinutes * 60 } : {}),
      ...(exchange ? { exchange } : {}),
      log,
    });
    console.log(`XieTong sync server listening on ${server.url}`);
    return new Promise<number>((done) => {
      const stop = (signal: string): void => {
        log.info('shutting down', { signal });
        server.close().then(
          () => done(0),
          (error: unknown) => {
            log.error('shutdown failed', { error });
            done(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  },
};

export default command;
