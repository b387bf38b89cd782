/**
 * Reads and validates the administrator's `deployment.json`. The file is trusted configuration but
 * hand-edited, so every way it can be wrong ends in a message that names the file and the field —
 * the shell shows it on an error screen instead of starting half-configured.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DeploymentConfigSchema, type DeploymentConfig } from '../../../shared/deployment';

/** The administrator reads these messages: zod's own Chinese wording, where our schema has none. */
const chineseMessages = z.locales.zhCN().localeError;

/** What was loaded and from where; `source` is undefined when no file exists (defaults apply). */
export interface LoadedDeployment {
  readonly config: DeploymentConfig;
  readonly source: string | undefined;
}

/** A deployment file that exists but cannot be used. */
export class DeploymentConfigError extends Error {
  constructor(
    /** The file at fault. */
    readonly file: string,
    /** One line per problem, in Chinese, each naming the field. */
    readonly problems: readonly string[],
  ) {
    super(`部署配置文件 ${file} 无效：${problems.join('；')}`);
    this.name = 'DeploymentConfigError';
  }
}

const MAX_FILE_BYTES = 1024 * 1024;

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

const fieldPath = (path: readonly PropertyKey[]): string => (path.length === 0 ? '（整个文件）' : path.map(String).join('.'));

/** Parses the text of one deployment file; throws DeploymentConfigError naming `file`. */
export function parseDeploymentConfig(text: string, file: string): DeploymentConfig {
  if (text.length > MAX_FILE_BYTES) throw new DeploymentConfigError(file, ['文件过大（超过 1 MB）']);
  let raw: unknown;
  try {
    // A UTF-8 byte-order mark is what Windows Notepad writes; it is not an error worth stopping for.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DeploymentConfigError(file, [`不是有效的 JSON：${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = DeploymentConfigSchema.safeParse(raw, { error: chineseMessages });
  if (!parsed.success) {
    throw new DeploymentConfigError(
      file,
      parsed.error.issues.map((issue) => `${fieldPath(issue.path)}：${issue.message}`),
    );
  }
  // The regex only checks the PEM envelope; a root that does not parse would fail every signature
  // check later with a far less helpful message, so refuse it here.
  const problems: string[] = [];
  parsed.data.trustedRoots.forEach((pem, index) => {
    try {
      const certificate = new X509Certificate(pem);
      if (!certificate.ca) problems.push(`trustedRoots.${index}：这张证书不是 CA 证书（${certificate.subject.replace(/\n/g, ', ')}）`);
    } catch (error) {
      problems.push(`trustedRoots.${index}：无法解析证书（${error instanceof Error ? error.message : String(error)}）`);
    }
  });
  if (problems.length > 0) throw new DeploymentConfigError(file, problems);
  return parsed.data;
}

/**
 * Loads the first candidate that exists. A missing file is normal (a developer machine, a site that
 * configures by hand): defaults apply. An unreadable or invalid file is an error — silently falling
 * through to the next candidate would hide the administrator's mistake.
 */
export async function loadDeployment(candidates: readonly string[]): Promise<LoadedDeployment> {
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isMissing(error)) continue;
      const reason = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : String(error);
      throw new DeploymentConfigError(file, [`无法读取文件（${reason}）`]);
    }
    return { config: parseDeploymentConfig(text, file), source: file };
  }
  return { config: DeploymentConfigSchema.parse({}), source: undefined };
}
