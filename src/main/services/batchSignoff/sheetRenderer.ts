/**
 * Renders 处理笺 in a worker thread (sheetWorker.ts) so a batch's layout work never blocks main's
 * event loop, which answers the window. One worker serves the service's life: it is started at the
 * first sheet, keeps its parsed fonts between documents and batches, and does not hold the process
 * open (unref). Only the sheet's layout goes there: the signer — the certificate's key or the UKey
 * session — never leaves main.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { bundleWorkerSource } from '../replica/workerScript';
import type { ApprovalSheetInput } from './approvalSheet';
import type { SheetRequest, SheetResponse } from './sheetWorker';
import { ApiFailure } from '../../../shared/api/result';
import { errorText } from '../../../shared/errors';

export interface SheetRenderer {
  render(input: ApprovalSheetInput): Promise<Uint8Array>;
  close(): Promise<void>;
}

const here = (): string => {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return process.cwd();
  }
};

let resolved: Promise<string> | null = null;

/**
 * The worker's script: `sheetWorker.mjs` beside the bundle (scripts/build-node.mjs and the
 * electron-vite config build it); from source it is bundled once into node_modules/.cache.
 * `XIETONG_SHEET_WORKER` overrides.
 */
export function resolveSheetWorkerScript(): Promise<string> {
  resolved ??= (async () => {
    const override = process.env.XIETONG_SHEET_WORKER;
    if (override) return override;
    const built = join(here(), 'sheetWorker.mjs');
    if (existsSync(built)) return built;
    const source = [join(here(), 'sheetWorker.ts'), join(process.cwd(), 'src/main/services/batchSignoff/sheetWorker.ts')].find((file) => existsSync(file));
    if (!source) throw new ApiFailure('internal', errorText('batch.sheetWorkerMissing'));
    const src = join(dirname(source), '../../..');
    // What the worker imports: this folder, the signing library's renderer and fonts, and shared.
    return bundleWorkerSource(source, [dirname(source), join(src, 'signing'), join(src, 'shared')], 'sheet-worker', '处理笺排版线程的程序文件 sheetWorker.mjs 未随程序构建（scripts/build-node.mjs 的 sheetWorker 入口）');
  })();
  resolved.catch(() => {
    // A failed lookup is tried again next time (esbuild may have been busy, a file replaced).
    resolved = null;
  });
  return resolved;
}

export function createSheetRenderer(): SheetRenderer {
  let worker: Worker | null = null;
  let starting: Promise<Worker> | null = null;
  const pending = new Map<number, { resolve: (pdf: Uint8Array) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed = false;

  const failAll = (error: Error): void => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  const start = async (): Promise<Worker> => {
    const script = await resolveSheetWorkerScript();
    if (closed) throw new ApiFailure('unavailable', errorText('batch.sheetStopped'));
    const started = new Worker(script);
    started.unref();
    started.on('message', (response: SheetResponse) => {
      const call = pending.get(response.id);
      if (!call) return;
      pending.delete(response.id);
      if (response.ok) call.resolve(response.pdf);
      else call.reject(new ApiFailure('internal', errorText('batch.sheetFailed', { message: response.message })));
    });
    started.on('error', (error) => failAll(new ApiFailure('internal', errorText('batch.sheetWorkerError', { message: error.message }))));
    // A worker that dies is replaced at the next sheet; the sheets it held fail and are retried by the batch.
    started.on('exit', (code) => {
      // Only the current worker's sheets are waiting; one closed or replaced has none left.
      if (worker !== started) return;
      worker = null;
      failAll(new ApiFailure('internal', errorText('batch.sheetWorkerExited', { code })));
    });
    worker = started;
    return started;
  };

  return {
    async render(input) {
      if (closed) throw new ApiFailure('unavailable', errorText('batch.sheetStopped'));
      const running = worker ?? (await (starting ??= start().finally(() => (starting = null))));
      return new Promise<Uint8Array>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        running.postMessage({ id, input } satisfies SheetRequest);
      });
    },
    async close() {
      closed = true;
      const running = worker;
      worker = null;
      failAll(new ApiFailure('unavailable', errorText('batch.sheetStopped')));
      if (running) await running.terminate();
    },
  };
}
