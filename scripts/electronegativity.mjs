// Runs Electronegativity over the built Electron code (out/main, out/preload) and fails on any
// finding. It no longer parses new TypeScript, so it reads the JavaScript electron-vite emits, and
// it always exits 0 itself, so we read its CSV report (TOOLCHAIN.md).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

if (!existsSync('out/main/index.js')) {
  const build = spawnSync(process.execPath, ['node_modules/electron-vite/bin/electron-vite.js', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const reportDir = '.tmp/electronegativity';
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });
const report = join(reportDir, 'report.csv');
const scan = spawnSync(
  process.execPath,
  ['node_modules/@doyensec/electronegativity/dist/index.js', '-i', 'out', '-x', 'AvailableSecurityFixesGlobalCheck', '-e', '45.4.1', '-r', '-v', 'false', '-o', report],
  { encoding: 'utf8' },
);
if (scan.status !== 0 || !existsSync(report)) {
  console.error(scan.stdout, scan.stderr);
  console.error('electronegativity did not run');
  process.exit(1);
}
const rows = readFileSync(report, 'utf8').trim().split('\n').slice(1).filter((line) => line.trim() !== '');
if (rows.length > 0) {
  console.error(`electronegativity found ${rows.length} issue(s):`);
  for (const row of rows) console.error(`  ${row}`);
  process.exit(1);
}
console.log('electronegativity: no findings');
