// Builds the Node entry points (the `xietong` CLI and the web host) into dist/ as ES modules.
// Dependencies stay external: they are resolved from node_modules at run time, and native modules
// (better-sqlite3, pkcs11js) cannot be bundled anyway. Runs from `npm ci` (prepare) in about a second.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const entryPoints = {
  cli: 'src/cli/index.ts',
  web: 'src/main/webHost/index.ts',
  // The client replica's SQLite worker thread (src/main/services/replica/workerScript.ts finds it beside the bundle).
  replicaWorker: 'src/main/services/replica/worker.ts',
  // 批量签批's 处理笺 layout thread (src/main/services/batchSignoff/sheetRenderer.ts finds it beside the bundle).
  sheetWorker: 'src/main/services/batchSignoff/sheetWorker.ts',
};
const present = Object.fromEntries(Object.entries(entryPoints).filter(([, file]) => existsSync(file)));

const common = {
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled CommonJS-style code may call require(); give ESM output one.
  banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
};

try {
  const { cli, ...rest } = present;
  await build({ ...common, entryPoints: rest });
  if (cli) {
    // The CLI is split: each command's code is its own chunk, loaded when that command runs, so
    // `xietong --help` starts in about the time of Node itself. Old chunks go first (hashed names).
    rmSync('dist/cli-chunks', { recursive: true, force: true });
    await build({ ...common, entryPoints: { cli }, splitting: true, chunkNames: 'cli-chunks/[name]-[hash]', packages: undefined, external: cliExternals(), mainFields: ['module', 'main'] });
  }
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

buildJournalMap();

/**
 * Every dependency stays external to the CLI but pdf-lib: its ES build is some 300 small modules,
 * and loading them one by one took ~170 ms of every signing command's start; bundled, it is parsed
 * with the command's own chunk.
 */
function cliExternals() {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync('package.json', 'utf8'));
  return Object.keys({ ...dependencies, ...devDependencies })
    .filter((name) => name !== 'pdf-lib')
    .flatMap((name) => [name, `${name}/*`]);
}

/**
 * The sync server's memory-mapped journal (native/journal-map.c): one C file compiled against
 * Node's own headers with the system's C compiler, so no node-gyp, Python or download. Linux only;
 * where it cannot be built the server journals with pwrite, and says so in the log.
 */
function buildJournalMap() {
  const source = 'native/journal-map.c';
  const target = 'native/build/journal-map.node';
  if (process.platform !== 'linux' || !existsSync(source)) return;
  if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) return;
  const includeDirs = [process.env.npm_config_nodedir, dirname(dirname(process.execPath))]
    .filter(Boolean)
    .map((prefix) => join(prefix, 'include', 'node'));
  const include = includeDirs.find((dir) => existsSync(join(dir, 'node_api.h')));
  if (!include) {
    console.warn(`journal map not built: no node_api.h in ${includeDirs.join(', ')} (the sync journal will use pwrite)`);
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  try {
    execFileSync(process.env.CC ?? 'cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', '-shared', '-fPIC', `-I${include}`, '-o', target, source], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch (error) {
    console.warn(`journal map not built (${error instanceof Error ? error.message : String(error)}): the sync journal will use pwrite`);
  }
}
