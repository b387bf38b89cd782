/**
 * 导出诊断信息: one zip with the log files, the versions and the configuration in force, for an
 * administrator to attach to a support request. Everything passes through redaction on the way in:
 * the archive leaves the machine, so no token, password or private key may be in it — even one an
 * old log line captured before a redaction pattern existed.
 */
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AboutInfo, DiagnosticsExport } from '../../../shared/api/diagnostics.contract';
import { redactSecrets, redactValue } from '../logging/redact';
import { createZip, type ZipEntry } from './zipWriter';

export interface DiagnosticsSource {
  /** Folders whose `*.log` files (rotated ones included) go into `logs/`. */
  readonly logDirs: readonly string[];
  /** Where archives are written (e.g. the person's Downloads folder, or userData/diagnostics). */
  readonly outputDir: string;
  /** Versions and where the configuration came from. */
  readonly about: () => AboutInfo;
  /** Configuration objects to include as JSON (redacted), e.g. `{ 'deployment.json': config }`. */
  readonly configs: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  readonly now?: () => Date;
}

export interface DiagnosticsService {
  export(): Promise<DiagnosticsExport>;
  about(): AboutInfo;
}

/** Per file and in total, so a runaway log cannot make an archive nobody can send. */
const MAX_LOG_FILE_BYTES = 8 * 1024 * 1024;
const MAX_LOG_FILES = 40;

const stamp = (date: Date): string => {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
};

const safeEntryName = (name: string): string => name.replace(/[^\p{L}\p{N}._-]/gu, '_');

async function collectLogs(dirs: readonly string[]): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  for (const [index, dir] of dirs.entries()) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((name) => /\.log$/i.test(name)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      if (entries.length >= MAX_LOG_FILES) return entries;
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      let text = await readFile(file, 'utf8');
      if (text.length > MAX_LOG_FILE_BYTES) text = `[前部已截断]\n${text.slice(-MAX_LOG_FILE_BYTES)}`;
      const prefix = dirs.length > 1 ? `logs/${index}/` : 'logs/';
      entries.push({ name: `${prefix}${safeEntryName(name)}`, data: redactSecrets(text), modified: info.mtime });
    }
  }
  return entries;
}

const README = `协同办公 诊断信息
================
本压缩包由“导出诊断信息”生成，供系统管理员排查问题。
- logs/      客户端日志（已隐藏口令、令牌和密钥）
- versions.json  软件与操作系统版本
- config/    当前生效的部署配置与个人设置（已隐藏敏感字段）
`;

/** The diagnostics service: `export()` writes the archive and says where. */
export function createDiagnosticsService(source: DiagnosticsSource): DiagnosticsService {
  const now = source.now ?? (() => new Date());
  return {
    about: () => source.about(),
    async export() {
      const at = now();
      const entries: ZipEntry[] = [{ name: 'README.txt', data: README, modified: at }];
      entries.push({ name: 'versions.json', data: `${JSON.stringify({ ...source.about(), exportedAt: at.toISOString() }, null, 2)}\n`, modified: at });
      const configs = await source.configs();
      for (const [name, value] of Object.entries(configs)) {
        entries.push({ name: `config/${safeEntryName(name)}`, data: `${JSON.stringify(redactValue(value), null, 2)}\n`, modified: at });
      }
      entries.push(...(await collectLogs(source.logDirs)));

      const archive = createZip(entries);
      await mkdir(source.outputDir, { recursive: true });
      const fileName = `xietong-diagnostics-${stamp(at)}.zip`;
      const path = join(source.outputDir, fileName);
      await writeFile(path, archive, { flag: 'w' });
      return { path, fileName, sizeBytes: archive.length, entries: entries.map((entry) => entry.name) };
    },
  };
}
