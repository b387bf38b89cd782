/**
 * Files the operating system hands to 协同办公 (double-click on a .pdf or .ofd, "Open with"): a PDF's
 * electronic signatures are verified against the deployment's trusted roots and the result shown —
 * what a clerk needs from a signed document received outside the system. OFD cannot be displayed by
 * the desktop app; the person is told so plainly. Pure apart from the injected reader and verifier.
 */
import { extname, isAbsolute, resolve } from 'node:path';
import type { PdfVerification, SignatureChecks } from '../../signing';
import { shellTexts, type ShellTexts } from './shellTexts';

export const OPENABLE_EXTENSIONS = ['.pdf', '.ofd'] as const;

/** Largest PDF read for verification; bigger files are refused with a message, not loaded. */
export const MAX_VERIFY_BYTES = 200 * 1024 * 1024;

/** The document paths in a command line (first launch or a second instance), absolute. */
export function openableFilesFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((arg) => !arg.startsWith('-') && (OPENABLE_EXTENSIONS as readonly string[]).includes(extname(arg).toLowerCase()))
    .map((arg) => (isAbsolute(arg) ? arg : resolve(cwd, arg)));
}

export interface OpenedFileReport {
  readonly type: 'info' | 'warning' | 'error';
  readonly title: string;
  readonly message: string;
  readonly detail: string;
}

export interface OpenedFileDeps {
  readonly trustedRoots: readonly string[];
  readonly fileSize: (path: string) => Promise<number>;
  readonly readFile: (path: string) => Promise<Uint8Array>;
  readonly verify: (pdf: Uint8Array, trustedRoots: readonly string[]) => Promise<PdfVerification>;
  /** The shell's texts in the interface language; zh-CN when absent. */
  readonly texts?: ShellTexts;
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** Describes one verification for a person: a verdict, then one line per signature and any failed checks. */
export function describeVerification(fileName: string, result: PdfVerification, texts: ShellTexts = shellTexts['zh-CN']): OpenedFileReport {
  const o = texts.openFile;
  const title = o.title(fileName);
  if (result.signatureCount === 0) {
    return { type: 'info', title, message: o.noSignatures, detail: o.noSignaturesDetail(fileName) };
  }
  const lines: string[] = [];
  for (const [position, signature] of result.signatures.entries()) {
    const who = signature.signerName ?? signature.signerSubject ?? o.unknownSigner;
    const when = signature.timestampTime ?? signature.claimedSigningTime;
    lines.push(`${position + 1}. ${signature.ok ? '✓' : '✗'} ${who}${when ? `，${when}` : ''}${signature.reason ? `（${signature.reason}）` : ''}`);
    for (const [name, check] of Object.entries(signature.checks) as Array<[keyof SignatureChecks, { ok: boolean; detail: string } | undefined]>) {
      if (check && !check.ok) lines.push(`    ✗ ${o.checks[name]}：${check.detail}`);
    }
  }
  return result.ok
    ? { type: 'info', title, message: o.allValid(result.signatureCount), detail: lines.join('\n') }
    : { type: 'warning', title, message: o.notValid, detail: lines.join('\n') };
}

/** What to tell the person about a file the OS asked us to open. */
export async function reportForOpenedFile(path: string, deps: OpenedFileDeps): Promise<OpenedFileReport> {
  const fileName = baseName(path);
  const texts = deps.texts ?? shellTexts['zh-CN'];
  const o = texts.openFile;
  const extension = extname(path).toLowerCase();
  if (extension === '.ofd') {
    return {
      type: 'info',
      title: fileName,
      message: o.ofd,
      detail: o.ofdDetail,
    };
  }
  if (extension !== '.pdf') return { type: 'error', title: fileName, message: o.unsupported, detail: path };
  let size: number;
  try {
    size = await deps.fileSize(path);
  } catch {
    return { type: 'error', title: fileName, message: o.unreadable, detail: path };
  }
  if (size > MAX_VERIFY_BYTES) return { type: 'error', title: fileName, message: o.tooLarge, detail: o.tooLargeDetail(path) };
  if (deps.trustedRoots.length === 0) {
    return {
      type: 'warning',
      title: o.title(fileName),
      message: o.noRoots,
      detail: o.noRootsDetail,
    };
  }
  try {
    return describeVerification(fileName, await deps.verify(await deps.readFile(path), deps.trustedRoots), texts);
  } catch (error) {
    return { type: 'error', title: o.title(fileName), message: o.cannotVerify, detail: o.cannotVerifyDetail(error instanceof Error ? error.message : String(error)) };
  }
}
