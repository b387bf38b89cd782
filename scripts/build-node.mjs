// Builds the Node entry points (the `xietong` CLI and the web host) into dist/ as ES modules.
// Dependencies stay external: they are resolved from node_modules at run time, and native modules
// (better-sqlite3, pkcs11js) cannot be bundled anyway. Runs from `npm ci` (prepare) in about a second.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entryPoints = {
  cli: 'src/cli/index.ts',
  web: 'src/main/webHost/index.ts',
  // The client replica's SQLite worker thread (src/main/services/replica/workerScript.ts finds it beside the bundle).
  replicaWorker: 'src/main/services/replica/worker.ts',
};
const present = Object.fromEntries(Object.entries(entryPoints).filter(([, file]) => existsSync(file)));

try {
  await build({
    entryPoints: present,
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
  });
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
