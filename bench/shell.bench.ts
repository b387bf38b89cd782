/**
 * Shell and deployment figures: how fast the main process logs (redaction and rotation included),
 * how long 导出诊断信息 takes on full logs, how fast the app scheme serves the renderer, and how long
 * deployment.json takes to load. Prints a table, then one JSON line.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDiagnosticsService } from '../src/main/services/diagnostics';
import { loadDeployment } from '../src/main/services/deployment';
import { RotatingLog, redactSecrets } from '../src/main/services/logging';
import { createAppProtocolHandler } from '../src/main/shell/appProtocol';

const dir = mkdtempSync(join(tmpdir(), 'xietong-bench-shell-'));
const time = async (run: () => Promise<void> | void): Promise<number> => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

try {
  // 1. Logging: 50 000 lines through redaction into 1 MiB files, 5 kept.
  const logDir = join(dir, 'logs');
  const log = new RotatingLog({ dir: logDir, maxBytes: 1024 * 1024, maxFiles: 5 }).logger('bench');
  const lines = 50_000;
  const logMs = await time(() => {
    for (let index = 0; index < lines; index += 1) log.info(`GET /api/documents/${index} 200 token=abc${index} 用户 li 打开了公文`, { index });
  });

  // 2. Redaction alone on a 1 MiB log.
  const sample = `2026-11-22T04:00:00Z INFO [session] login {"username":"li","password":"demo1234"} Authorization: Bearer abcdef0123456789 王建国 签发\n`.repeat(8000);
  const redactMs = await time(() => void redactSecrets(sample));
  const redactMiBps = sample.length / 1024 / 1024 / (redactMs / 1000);

  // 3. 导出诊断信息 over the five full log files.
  const diagnostics = createDiagnosticsService({
    logDirs: [logDir],
    outputDir: join(dir, 'out'),
    about: () => ({ appVersion: '0.1.0', nodeVersion: process.version, platform: process.platform, arch: process.arch }),
    configs: () => ({ 'deployment.json': { serverUrl: 'https://oa.example.gov.cn' } }),
  });
  let archiveBytes = 0;
  const exportMs = await time(async () => {
    archiveBytes = (await diagnostics.export()).sizeBytes;
  });

  // 4. The app scheme serving a 850 KB bundle and index.html.
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'index.js'), 'x'.repeat(850 * 1024));
  const handle = createAppProtocolHandler({ root });
  const requests = 2000;
  const protocolMs = await time(async () => {
    for (let index = 0; index < requests; index += 1) {
      const response = await handle(new Request(index % 2 === 0 ? 'app://xietong/index.html' : 'app://xietong/assets/index.js'));
      await response.arrayBuffer();
    }
  });

  // 5. Loading and validating deployment.json (no certificates: parsing only).
  const deploymentFile = join(dir, 'deployment.json');
  writeFileSync(deploymentFile, JSON.stringify({ serverUrl: 'https://oa.example.gov.cn', updateUrl: 'https://oa.example.gov.cn/updates/', policies: { offlineDays: 7 } }));
  const loads = 1000;
  const loadMs = await time(async () => {
    for (let index = 0; index < loads; index += 1) await loadDeployment([deploymentFile]);
  });

  const result = {
    logLinesPerSecond: Math.round(lines / (logMs / 1000)),
    redactMiBPerSecond: Number(redactMiBps.toFixed(1)),
    diagnosticsExportMs: Math.round(exportMs),
    diagnosticsArchiveKiB: Math.round(archiveBytes / 1024),
    appSchemeRequestsPerSecond: Math.round(requests / (protocolMs / 1000)),
    deploymentLoadMs: Number((loadMs / loads).toFixed(3)),
  };
  console.log('log lines/s (redacted, rotating)  ', result.logLinesPerSecond);
  console.log('redaction MiB/s                    ', result.redactMiBPerSecond);
  console.log('diagnostics export of 5 MiB logs   ', `${result.diagnosticsExportMs} ms → ${result.diagnosticsArchiveKiB} KiB zip`);
  console.log('app:// requests/s (index + 850 KB) ', result.appSchemeRequestsPerSecond);
  console.log('deployment.json load + validate    ', `${result.deploymentLoadMs} ms`);
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
