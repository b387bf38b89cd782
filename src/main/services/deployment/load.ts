/**
 * Reads and validates the administrator's `deployment.json`. The file is trusted configuration but
 * hand-edited, so every way it can be wrong ends in a message that names the file and the field —
 * the shell shows it on an error screen instead of starting half-configured.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DeploymentConfigSchema, type DeploymentConfig } from '../../../shared/deployment';
import { errorText, textOfWording, wordError, type ErrorText } from '../../../shared/errors';

/** The administrator reads these messages: zod's own wording in each language, where our schema has none. */
const zodMessages = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError } as const;

/** One problem of the file in both languages: the CLI and the log print `zh`, the error page the person's. */
export interface DeploymentProblem {
  readonly zh: string;
  readonly en: string;
}

const problemOf = (text: ErrorText): DeploymentProblem => ({ zh: wordError(text, 'zh-CN'), en: wordError(text, 'en') });

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
    /** One line per problem, each naming the field, in both languages. */
    readonly problemTexts: readonly DeploymentProblem[],
  ) {
    super(`部署配置文件 ${file} 无效：${problemTexts.map((p) => p.zh).join('；')}`);
    this.name = 'DeploymentConfigError';
  }

  /** The problems in Chinese (the CLI's and the log's language). */
  get problems(): readonly string[] {
    return this.problemTexts.map((p) => p.zh);
  }

  /** The problems in a person's language (the error page). */
  problemsIn(language: 'zh-CN' | 'en'): readonly string[] {
    return this.problemTexts.map((p) => (language === 'en' ? p.en : p.zh));
  }
}

const MAX_FILE_BYTES = 1024 * 1024;

const isMissing = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');

const fieldPath = (path: readonly PropertyKey[], language: 'zh-CN' | 'en'): string =>
  path.length > 0 ? path.map(String).join('.') : language === 'en' ? '(the whole file)' : '（整个文件）';

/** A zod issue's line in one language: our schema's own messages are catalogue wordings, zod's are its locale's. */
function issueLine(issue: z.core.$ZodIssue, language: 'zh-CN' | 'en'): string {
  const message = wordError(textOfWording(issue.message), language);
  return language === 'en' ? `${fieldPath(issue.path, language)}: ${message}` : `${fieldPath(issue.path, language)}：${message}`;
}

/** Parses the text of one deployment file; throws DeploymentConfigError naming `file`. */
export function parseDeploymentConfig(text: string, file: string): DeploymentConfig {
  if (text.length > MAX_FILE_BYTES) throw new DeploymentConfigError(file, [problemOf(errorText('deployment.fileTooLarge'))]);
  let raw: unknown;
  try {
    // A UTF-8 byte-order mark is what Windows Notepad writes; it is not an error worth stopping for.
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DeploymentConfigError(file, [problemOf(errorText('deployment.notJson', { reason: error instanceof Error ? error.message : String(error) }))]);
  }
  const parsed = DeploymentConfigSchema.safeParse(raw, { error: zodMessages['zh-CN'] });
  if (!parsed.success) {
    // The same parse with zod's English wording gives the same issues in the same order.
    const english = DeploymentConfigSchema.safeParse(raw, { error: zodMessages.en });
    const englishIssues = english.success ? [] : english.error.issues;
    throw new DeploymentConfigError(
      file,
      parsed.error.issues.map((issue, index) => ({ zh: issueLine(issue, 'zh-CN'), en: issueLine(englishIssues[index] ?? issue, 'en') })),
    );
  }
  // The regex only checks the PEM envelope; a root that does not parse would fail every signature
  // check later with a far less helpful message, so refuse it here.
  const problems: DeploymentProblem[] = [];
  parsed.data.trustedRoots.forEach((pem, index) => {
    const field = `trustedRoots.${index}`;
    try {
      const certificate = new X509Certificate(pem);
      if (!certificate.ca) problems.push(problemOf(errorText('deployment.notCaCertificate', { field, subject: certificate.subject.replace(/\n/g, ', ') })));
    } catch (error) {
      problems.push(problemOf(errorText('deployment.certificateUnreadable', { field, reason: error instanceof Error ? error.message : String(error) })));
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
      throw new DeploymentConfigError(file, [problemOf(errorText('deployment.fileUnreadable', { reason }))]);
    }
    return { config: parseDeploymentConfig(text, file), source: file };
  }
  return { config: DeploymentConfigSchema.parse({}), source: undefined };
}
