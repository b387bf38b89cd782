/**
 * Files the operating system hands to 协同办公 (double-click on a .pdf or .ofd, "Open with"): a PDF's
 * electronic signatures are verified against the deployment's trusted roots and the result shown —
 * what a clerk needs from a signed document received outside the system. OFD cannot be displayed by
 * the desktop app; the person is told so plainly. Pure apart from the injected reader and verifier.
 */
import { extname, isAbsolute, resolve } from 'node:path';
import type { PdfVerification, SignatureChecks } from '../../signing';

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
}

const CHECK_LABELS: Record<keyof SignatureChecks, string> = {
  byteRange: '签名范围',
  digest: '文档完整',
  signature: '签名值',
  pades: 'PAdES 格式',
  chain: '证书可信',
  validity: '证书有效期',
  revocation: '未被吊销',
  modifications: '签名后未被修改',
  timestamp: '时间戳',
};

const baseName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** Describes one verification for a person: a verdict, then one line per signature and any failed checks. */
export function describeVerification(fileName: string, result: PdfVerification): OpenedFileReport {
  const title = `签名验证 — ${fileName}`;
  if (result.signatureCount === 0) {
    return { type: 'info', title, message: '此文件没有电子签名', detail: `${fileName} 中未找到任何电子签名或电子印章。` };
  }
  const lines: string[] = [];
  for (const [position, signature] of result.signatures.entries()) {
    const who = signature.signerName ?? signature.signerSubject ?? '未知签名人';
    const when = signature.timestampTime ?? signature.claimedSigningTime;
    lines.push(`${position + 1}. ${signature.ok ? '✓' : '✗'} ${who}${when ? `，${when}` : ''}${signature.reason ? `（${signature.reason}）` : ''}`);
    for (const [name, check] of Object.entries(signature.checks) as Array<[keyof SignatureChecks, { ok: boolean; detail: string } | undefined]>) {
      if (check && !check.ok) lines.push(`    ✗ ${CHECK_LABELS[name]}：${check.detail}`);
    }
  }
  return result.ok
    ? { type: 'info', title, message: `全部 ${result.signatureCount} 个签名有效`, detail: lines.join('\n') }
    : { type: 'warning', title, message: '签名验证未通过：文件可能被修改，或签名人不受信任', detail: lines.join('\n') };
}

/** What to tell the person about a file the OS asked us to open. */
export async function reportForOpenedFile(path: string, deps: OpenedFileDeps): Promise<OpenedFileReport> {
  const fileName = baseName(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.ofd') {
    return {
      type: 'info',
      title: fileName,
      message: '协同办公不能直接显示 OFD 文件',
      detail: '请在本单位的 OFD 阅读器中打开此文件；系统内流转的公文请在 协同办公 中查看。',
    };
  }
  if (extension !== '.pdf') return { type: 'error', title: fileName, message: '不支持的文件类型', detail: path };
  let size: number;
  try {
    size = await deps.fileSize(path);
  } catch {
    return { type: 'error', title: fileName, message: '无法读取文件', detail: path };
  }
  if (size > MAX_VERIFY_BYTES) return { type: 'error', title: fileName, message: '文件过大，无法验证签名', detail: `${path}（超过 200 MB）` };
  if (deps.trustedRoots.length === 0) {
    return {
      type: 'warning',
      title: `签名验证 — ${fileName}`,
      message: '未配置信任的根证书，无法验证签名',
      detail: '请系统管理员在部署配置（deployment.json 的 trustedRoots）中加入本单位 CA 的根证书。',
    };
  }
  try {
    return describeVerification(fileName, await deps.verify(await deps.readFile(path), deps.trustedRoots));
  } catch (error) {
    return { type: 'error', title: `签名验证 — ${fileName}`, message: '无法验证此文件', detail: `文件不是有效的 PDF，或已损坏（${error instanceof Error ? error.message : String(error)}）。` };
  }
}
