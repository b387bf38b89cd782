/**
 * Refreshes the stored CRLs from the URLs in the server config: once at start, then every
 * `crlRefreshMs`. Each fetch is bounded (15 s, 10 MB) and a failure is logged and kept for the next
 * run; the CRL already stored stays in force meanwhile.
 */
import type { ServerDeps } from '../deps';
import type { Logger } from '../log';
import type { ExchangeSettings } from './config';
import { loadCrl } from './crlStore';

const FETCH_TIMEOUT_MS = 15_000;
const MAX_BYTES = 10 * 1024 * 1024;

/** Fetches one CRL URL and stores it; resolves to a one-line outcome. */
export async function refreshCrlFrom(deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>, url: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]) : AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_BYTES) throw new Error('larger than 10 MB');
  const body = Buffer.from(await response.arrayBuffer());
  if (body.length > MAX_BYTES) throw new Error('larger than 10 MB');
  const result = await loadCrl(deps.db, deps.accounts, body, url, deps.now());
  return result.unchanged ? 'unchanged' : `${result.revokedCount} revoked`;
}

export function startCrlRefresh(deps: Pick<ServerDeps, 'db' | 'accounts' | 'now'>, settings: ExchangeSettings, log: Logger): { stop(): Promise<void> } {
  if (settings.crlUrls.length === 0) return { stop: () => Promise.resolve() };
  const abort = new AbortController();
  let running: Promise<void> = Promise.resolve();
  const run = (): void => {
    running = (async () => {
      for (const url of settings.crlUrls) {
        if (abort.signal.aborted) return;
        try {
          log.info('crl refreshed', { url, outcome: await refreshCrlFrom(deps, url, abort.signal) });
        } catch (error) {
          if (!abort.signal.aborted) log.warn('crl refresh failed', { url, error: error instanceof Error ? error.message : String(error) });
        }
      }
    })();
  };
  run();
  const timer = setInterval(run, settings.crlRefreshMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      abort.abort();
      await running;
    },
  };
}
