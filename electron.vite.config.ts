import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The package stays CommonJS so main and preload are emitted as CommonJS: a sandboxed preload
// cannot be an ES module (TOOLCHAIN.md).
/**
 * The replica's SQLite worker thread runs as its own ES module beside the main bundle
 * (src/main/services/replica/workerScript.ts looks for out/main/replicaWorker.mjs); dependencies
 * stay external, resolved from the app's node_modules like the main bundle's.
 */
const replicaWorker = (): Plugin => ({
  name: 'xietong-replica-worker',
  apply: 'build',
  async closeBundle() {
    // …and 批量签批's 处理笺 layout thread (src/main/services/batchSignoff/sheetRenderer.ts looks for out/main/sheetWorker.mjs).
    const workers: ReadonlyArray<readonly [string, string]> = [
      ['src/main/services/replica/worker.ts', 'out/main/replicaWorker.mjs'],
      ['src/main/services/batchSignoff/sheetWorker.ts', 'out/main/sheetWorker.mjs'],
    ];
    for (const [source, out] of workers) {
      await esbuild({
        entryPoints: [resolve(__dirname, source)],
        outfile: resolve(__dirname, out),
        bundle: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        packages: 'external',
        logLevel: 'warning',
        banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
      });
    }
  },
});

/**
 * pdf.js (the document preview) fetches the Adobe CMaps and the standard 14 fonts at run time when a
 * PDF needs them. They are served from the app's own origin (`pdfjs/cmaps/`, `pdfjs/standard_fonts/`
 * in the renderer output), never from a CDN: the CSP allows only 'self', and desks are often offline.
 */
const pdfjsAssets = (): Plugin => ({
  name: 'xietong-pdfjs-assets',
  apply: 'build',
  generateBundle() {
    for (const folder of ['cmaps', 'standard_fonts']) {
      const from = resolve(__dirname, 'node_modules/pdfjs-dist', folder);
      for (const name of readdirSync(from)) {
        this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: readFileSync(join(from, name)) });
      }
    }
  },
});

export default defineConfig({
  main: {
    plugins: [replicaWorker()],
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(__dirname, 'src/main/shell/index.ts') } },
      externalizeDeps: true,
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
      // The preload runs sandboxed: it can require only `electron`, so everything else is bundled.
      externalizeDeps: false,
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), pdfjsAssets()],
    // jszip (inside mammoth, for 导入 Word) brings a setImmediate polyfill that can eval strings,
    // prebuilt into its browser bundle: the renderer takes jszip's sources instead and a
    // function-only stand-in for the polyfill (src/renderer/shims/setImmediate.ts).
    resolve: {
      alias: [
        { find: /^jszip$/, replacement: resolve(__dirname, 'node_modules/jszip/lib/index.js') },
        { find: /^setimmediate$/, replacement: resolve(__dirname, 'src/renderer/shims/setImmediate.ts') },
      ],
    },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // The renderer ships to thousands of desks and loads from disk each start: keep it small.
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
