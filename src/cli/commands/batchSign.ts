/**
 * `xietong batch-sign --p12 FILE --password PW --out-dir DIR IN.pdf…` — many documents with one
 * password (or PIN) entry; a progress bar on a terminal; each failure reported, the rest go on.
 * Exit 0 only if every document was signed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
// Each command imports the signing modules it uses, not the library's index, so the build's chunk for
// this command holds only them (the CLI loads a command's code when it runs: src/cli/index.ts).
import { signBatch, type BatchProgress } from '../../signing/batch';
import { CliError, type CliCommand } from '../command';
import { openSignerFrom, parseCommandLine, readInput, SIGNING_OPTIONS, signOptionsFrom } from './sign';

const USAGE = `usage: xietong batch-sign --out-dir DIR (--p12 FILE --password PW | --pkcs11-module LIB --pin PIN) IN.pdf…
       [--seal IMAGE | --seal-text UNIT] [--page N --x MM --y MM --size MM] [--reason TEXT] [--tsa URL]
  XIETONG_P12_PASSWORD may replace --password. Signed files keep their names inside DIR.`;

function progressBar(progress: BatchProgress): string {
  const width = 30;
  const filled = Math.round((progress.done / progress.total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}${progress.failed ? ` (${progress.failed} failed)` : ''}`;
}

const command: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, { ...SIGNING_OPTIONS, 'out-dir': { type: 'string' } }, USAGE);
    if (values.help) return 0;
    const outDir = values['out-dir'];
    if (typeof outDir !== 'string') throw new CliError(`--out-dir DIR is required\n${USAGE}`);
    if (positionals.length === 0) throw new CliError(`no input PDFs given\n${USAGE}`);
    const names = positionals.map((input) => basename(input));
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new CliError(`two inputs are named ${duplicate}; their outputs would overwrite each other`);
    const options = signOptionsFrom(values);
    mkdirSync(outDir, { recursive: true });
    // The password is read once here; the unlocked signer lives only until the batch ends.
    const signer = await openSignerFrom(values);
    const tty = process.stderr.isTTY;
    const results = await signBatch(
      positionals.map((input) => ({ id: input, pdf: () => Promise.resolve(readInput(input, 'input')) })),
      signer,
      {
        signOptions: options,
        keepOutput: false,
        onResult: (result) => {
          if (result.ok) writeFileSync(join(outDir, basename(result.id)), result.pdf);
        },
        onProgress: (progress) => {
          const last = progress.last;
          if (tty) process.stderr.write(`\r${progressBar(progress)}${progress.done === progress.total ? '\n' : ''}`);
          if (!last.ok) {
            if (tty) process.stderr.write('\n');
            console.error(`failed: ${last.id}: ${last.error}`);
          }
        },
      },
    );
    const failed = results.filter((result) => !result.ok).length;
    console.log(`signed ${results.length - failed} of ${results.length} into ${outDir}${failed ? `; ${failed} failed` : ''}`);
    return failed ? 1 : 0;
  },
};

export default command;
