// `npm run bench`: runs every bench/*.bench.ts one after another (never in parallel: they compare
// figures side by side on a 2-core machine), prints each one's output, and ends with one JSON line
// that gathers every benchmark's own last JSON line. `npm run bench -- sync` runs only matching ones.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const benches = readdirSync('bench')
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => !filter || name.includes(filter))
  .sort();
const outDir = '.tmp/bench';
mkdirSync(outDir, { recursive: true });

const results = {};
let failed = false;
for (const name of benches) {
  const outfile = join(outDir, name.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join('bench', name)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __xtCreateRequire } from 'node:module'; const require = __xtCreateRequire(import.meta.url);" },
  });
  console.log(`\n=== ${name} ===`);
  const lines = [];
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', outfile], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.setEncoding('utf8');
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk;
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
    });
    child.on('close', (status) => {
      if (buffer) lines.push(buffer);
      resolve(status ?? 1);
    });
  });
  const last = lines.filter((line) => line.trim() !== '').at(-1);
  try {
    results[name.replace(/\.bench\.ts$/, '')] = JSON.parse(last ?? '');
  } catch {
    results[name.replace(/\.bench\.ts$/, '')] = { error: `no JSON result (exit ${code})` };
  }
  if (code !== 0) failed = true;
}
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
