// `npm start`: the desktop app. Where the Electron binary could not be installed (no download
// possible), say so in one line and point at the web host instead of failing with a stack trace.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';

const require = createRequire(import.meta.url);
let electronBinary;
try {
  const packageDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (existsSync(pathFile)) {
    const candidate = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(candidate)) electronBinary = candidate;
  }
} catch {
  electronBinary = undefined;
}
if (!electronBinary) {
  console.error('xietong: the Electron binary is not installed on this machine — run `npm run web` to use XieTong in a browser instead');
  process.exit(1);
}
const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const run = spawnSync(electronBinary, ['.'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
