/**
 * `xietong sign IN.pdf --p12 FILE --password PW --out OUT.pdf [--seal IMAGE | --seal-text TEXT]
 * [--page N --x MM --y MM] [--reason TEXT]` — one PAdES signature appended as an incremental update.
 * Also the option parsing and signer opening shared with `xietong batch-sign`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { signPdf, type SignPdfOptions } from '../../signing/pdf/signPdf';
import { openPkcs11Signer } from '../../signing/signers/pkcs11Signer';
import { openPkcs12Signer } from '../../signing/signers/pkcs12Signer';
import type { Signer } from '../../signing/signers/signer';
import { CliError, type CliCommand } from '../command';

/** Options common to sign and batch-sign. */
export const SIGNING_OPTIONS = {
  p12: { type: 'string' },
  password: { type: 'string' },
  'pkcs11-module': { type: 'string' },
  pin: { type: 'string' },
  token: { type: 'string' },
  'key-label': { type: 'string' },
  chain: { type: 'string' },
  seal: { type: 'string' },
  'seal-text': { type: 'string' },
  'seal-bottom': { type: 'string' },
  page: { type: 'string' },
  x: { type: 'string' },
  y: { type: 'string' },
  size: { type: 'string' },
  reason: { type: 'string' },
  location: { type: 'string' },
  certify: { type: 'boolean' },
  tsa: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

type SigningValues = { [K in keyof typeof SIGNING_OPTIONS]?: (typeof SIGNING_OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** parseArgs with our one-line errors. */
export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
    if (values.help) {
      console.log(usage);
      return { values: { help: true }, positionals: parsed.positionals };
    }
    return { values, positionals: parsed.positionals };
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n${usage}`);
  }
}

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new CliError(`--${name} must be a number, got "${value}"`);
  return parsed;
}

/** Reads a file or fails with one line naming it. */
export function readInput(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new CliError(`${what} ${path} does not exist`);
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`cannot read ${what} ${path} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** The signature options (appearance, reason, TSA) from the command line. */
export function signOptionsFrom(values: SigningValues): SignPdfOptions {
  if (values.seal && values['seal-text']) throw new CliError('give --seal IMAGE or --seal-text TEXT, not both');
  const page = number(values.page, 'page');
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) throw new CliError('--page must be a page number from 1');
  const size = number(values.size, 'size') ?? 42;
  if (size <= 0) throw new CliError('--size must be positive (millimetres)');
  const visible = Boolean(values.seal || values['seal-text']);
  if (!visible && (values.x !== undefined || values.y !== undefined || page !== undefined)) throw new CliError('--page/--x/--y place a seal: give --seal IMAGE or --seal-text TEXT');
  const options: { -readonly [K in keyof SignPdfOptions]: SignPdfOptions[K] } = {};
  if (values.reason) options.reason = values.reason;
  if (values.location) options.location = values.location;
  if (values.certify) options.certify = true;
  if (values.tsa) {
    if (!/^https?:\/\//.test(values.tsa)) throw new CliError('--tsa must be an http(s) URL');
    options.timestampAuthority = { url: values.tsa };
  }
  if (visible) {
    // Default position: the lower right of the last page's type area on A4 (GB/T 9704 margins).
    const placement = { page, x: number(values.x, 'x') ?? 210 - 26 - size, y: number(values.y, 'y') ?? 50, width: size, height: size };
    options.appearance = values.seal
      ? { ...placement, graphic: { type: 'image', data: readInput(values.seal, 'seal image') } }
      : { ...placement, graphic: { type: 'officialSeal', unitName: values['seal-text'] ?? '', bottomText: values['seal-bottom'] } };
  }
  return options;
}

/**
 * Asks for a secret on the terminal without echoing it. Typing it here keeps it out of the shell
 * history and the process list, which `--password` on the command line does not.
 */
export async function promptSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new CliError(`${question.replace(/[:：]\s*$/, '')} is required (no terminal to ask on)`);
  process.stderr.write(question);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await new Promise<string>((resolve) => reader.question('', resolve));
  } finally {
    reader.close();
    process.stderr.write('\n');
  }
}

/** Opens the signer the options name: a PKCS#12 (password from --password or XIETONG_P12_PASSWORD) or a PKCS#11 token. */
export async function openSignerFrom(values: SigningValues): Promise<Signer> {
  if (values.p12 && values['pkcs11-module']) throw new CliError('give --p12 FILE or --pkcs11-module LIB, not both');
  if (values['pkcs11-module']) {
    const pin = values.pin ?? process.env.XIETONG_PKCS11_PIN ?? (process.stdin.isTTY ? await promptSecret('UKey PIN: ') : undefined);
    if (!pin) throw new CliError('the token needs --pin PIN (or XIETONG_PKCS11_PIN)');
    return openPkcs11Signer({
      modulePath: values['pkcs11-module'],
      pin,
      tokenLabel: values.token,
      keyLabel: values['key-label'],
      chain: values.chain ? readInput(values.chain, 'chain file').toString('utf8') : undefined,
    });
  }
  if (!values.p12) throw new CliError('--p12 FILE is required (or --pkcs11-module LIB for a token)');
  const password = values.password ?? process.env.XIETONG_P12_PASSWORD ?? (process.stdin.isTTY ? await promptSecret('PKCS#12 password: ') : undefined);
  if (password === undefined) throw new CliError('--password PW is required (or set XIETONG_P12_PASSWORD)');
  return openPkcs12Signer(readInput(values.p12, 'PKCS#12 file'), password);
}

const USAGE = `usage: xietong sign IN.pdf --out OUT.pdf (--p12 FILE --password PW | --pkcs11-module LIB --pin PIN [--token LABEL])
       [--seal IMAGE | --seal-text UNIT [--seal-bottom TEXT]] [--page N --x MM --y MM --size MM]
       [--reason TEXT] [--location TEXT] [--certify] [--tsa URL]
  x/y: millimetres from the page's left and bottom edges to the seal's lower-left corner (default: lower right of the last page).
  XIETONG_P12_PASSWORD may replace --password; on a terminal, without either, the password is asked for.`;

const command: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...SIGNING_OPTIONS, out: { type: 'string' } }, USAGE);
    if (values.help) return 0;
    const [input, ...extra] = positionals;
    if (!input || extra.length) throw new CliError(`exactly one input PDF is required\n${USAGE}`);
    const out = values.out;
    if (typeof out !== 'string') throw new CliError(`--out OUT.pdf is required\n${USAGE}`);
    const signingValues = values as SigningValues;
    const options = signOptionsFrom(signingValues);
    const pdf = readInput(input, 'input');
    const signer = await openSignerFrom(signingValues);
    try {
      const signed = await signPdf(pdf, signer, options);
      writeFileSync(out, signed);
      console.log(`signed ${input} → ${out} (${signed.length - pdf.length} bytes appended)`);
      return 0;
    } finally {
      signer.close();
    }
  },
};

export default command;
