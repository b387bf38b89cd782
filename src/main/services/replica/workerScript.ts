/**
 * Finds the replica worker's JavaScript. A build ships it as `replicaWorker.mjs` beside the bundle
 * that imports this module (scripts/build-node.mjs entry `replicaWorker`); running from source
 * (tests, benchmarks), it is bundled once with esbuild into node_modules/.cache, keyed by its content.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as EsbuildModule from 'esbuild';

const here = (): string => {
  try {
    return dirname(fileURLToPath(import.meta.url));
  } catch {
    return process.cwd();
  }
};

let resolved: Promise<string> | null = null;

/** The path of a runnable worker script; set `XIETONG_REPLICA_WORKER` to override. */
export function resolveWorkerScript(): Promise<string> {
  resolved ??= locate();
  return resolved;
}

async function locate(): Promise<string> {
  const override = process.env.XIETONG_REPLICA_WORKER;
  if (override) return override;
  const built = join(here(), 'replicaWorker.mjs');
  if (existsSync(built)) return built;
  const source = [join(here(), 'worker.ts'), join(process.cwd(), 'src/main/services/replica/worker.ts')].find((file) => existsSync(file));
  if (!source) throw new Error('找不到本地数据库线程的程序文件（replicaWorker.mjs）');
  return bundle(source);
}

async function bundle(source: string): Promise<string> {
  // The worker's own folder and the shared contract and error catalogue it imports decide what the bundle contains.
  return bundleWorkerSource(source, [dirname(source), join(dirname(source), '../../../shared/api'), join(dirname(source), '../../../shared/errors')], 'replica-worker', '本地数据库线程的程序文件 replicaWorker.mjs 未随程序构建（scripts/build-node.mjs 的 replicaWorker 入口）');
}

/** Every `.ts` file under `folder` (recursively), sorted, for the bundle's content key. */
function sourcesUnder(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? sourcesUnder(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : []));
}

/**
 * Bundles a worker thread's TypeScript entry for a run from source (tests, benchmarks) into
 * node_modules/.cache/xietong, once per content of `folders` (every `.ts` file under them); a build
 * ships its workers prebuilt instead. `missing` is the error when esbuild is not installed.
 */
export async function bundleWorkerSource(source: string, folders: readonly string[], prefix: string, missing: string): Promise<string> {
  const hash = createHash('sha256');
  for (const folder of folders) {
    for (const file of sourcesUnder(folder)) hash.update(file.slice(folder.length)).update(readFileSync(file));
  }
  // Inside the project's node_modules: an ES module resolves its imports (better-sqlite3, yjs)
  // from where the file lives, so a copy in /tmp could not find them.
  const cacheDir = join(process.cwd(), 'node_modules', '.cache', 'xietong');
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, `${prefix}-${hash.digest('hex').slice(0, 16)}-${statSync(source).size}.mjs`);
  if (existsSync(outfile)) return outfile;
  // esbuild is a development dependency: only source runs reach this line.
  let esbuild: typeof EsbuildModule;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(missing);
  }
  const temp = `${outfile}.${process.pid}.tmp.mjs`;
  await esbuild.build({
    entryPoints: [source],
    outfile: temp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    absWorkingDir: process.cwd(),
    logLevel: 'warning',
    banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
  });
  renameSync(temp, outfile);
  return outfile;
}
