/**
 * Command-line benchmark, every figure timed as a whole process (what a person or a script waits for):
 * - start: `xietong --help` beside a bare `node -e 0` (target: within 3×);
 * - batch: `xietong batch-sign` of 100 three-page documents beside a Node process that signs the same
 *   100 files with @signpdf (read, sign, write each), one password entry each (target: ≥ 10× faster).
 * Runs are interleaved so both sides see the same machine. Prints a table; the last line is JSON.
 *
 * The @signpdf side is this same script started again with `--signpdf-child DIR OUT P12 PASSWORD`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrganisationCa, issuePersonCertificate } from '../src/signing';
import { percentile, round } from './support/load';
import { signWithSignpdf, threePagePdf } from './support/signing';

const BATCH = 100;
const START_RUNS = 15;
const BATCH_RUNS = 3;
const password = 'bench-password';
const self = fileURLToPath(import.meta.url);

async function signpdfChild(inDir: string, outDir: string, p12File: string, passphrase: string): Promise<void> {
  const p12 = readFileSync(p12File);
  mkdirSync(outDir, { recursive: true });
  for (const name of readdirSync(inDir)) writeFileSync(join(outDir, name), await signWithSignpdf(readFileSync(join(inDir, name)), p12, passphrase));
}

/** Wall time of one process, in ms; throws with its output when it fails. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr || run.stdout}`);
  return ms;
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 50);

async function main(): Promise<void> {
  const cli = join(process.cwd(), 'bin', 'xietong.mjs');

  // Start: interleaved, after one unmeasured run of each (the file cache).
  timeProcess(['-e', '0']);
  timeProcess([cli, '--help']);
  const nodeStart: number[] = [];
  const helpStart: number[] = [];
  for (let i = 0; i < START_RUNS; i += 1) {
    nodeStart.push(timeProcess(['-e', '0']));
    helpStart.push(timeProcess([cli, '--help']));
  }

  // Batch: 100 documents and one PKCS#12 on disk, as a clerk would have them.
  const dir = mkdtempSync(join(tmpdir(), 'xietong-cli-bench-'));
  try {
    const inDir = join(dir, 'in');
    mkdirSync(inDir);
    const documents = await Promise.all(Array.from({ length: BATCH }, (_, index) => threePagePdf(`Notice ${index + 1}`)));
    documents.forEach((pdf, index) => writeFileSync(join(inDir, `notice-${String(index + 1).padStart(3, '0')}.pdf`), pdf));
    const ca = createOrganisationCa({ name: '市政府办公室' });
    const person = issuePersonCertificate({ ca, commonName: '赵敏', unit: '市政府办公室', password });
    const p12File = join(dir, 'zhao.p12');
    writeFileSync(p12File, person.p12);
    const inputs = readdirSync(inDir).map((name) => join(inDir, name));

    const ours: number[] = [];
    const peer: number[] = [];
    for (let run = 0; run < BATCH_RUNS; run += 1) {
      const oursOut = join(dir, `ours-${run}`);
      const peerOut = join(dir, `signpdf-${run}`);
      ours.push(timeProcess([cli, 'batch-sign', '--p12', p12File, '--out-dir', oursOut, ...inputs], { ...process.env, XIETONG_P12_PASSWORD: password }));
      peer.push(timeProcess([self, '--signpdf-child', inDir, peerOut, p12File, password]));
      if (readdirSync(oursOut).length !== BATCH || readdirSync(peerOut).length !== BATCH) throw new Error('a batch did not write every document');
    }

    const figures = {
      nodeStartMs: round(median(nodeStart)),
      helpStartMs: round(median(helpStart)),
      helpStartRatio: round(median(helpStart) / median(nodeStart), 2),
      batchSign100Ms: round(median(ours), 0),
      signpdfBatch100Ms: round(median(peer), 0),
      batchProcessSpeedup: round(median(peer) / median(ours), 1),
    };
    console.log('| whole process (median) | XieTong | reference | ratio |');
    console.log('|---|---|---|---|');
    console.log(`| start: \`xietong --help\` vs \`node -e 0\` (${START_RUNS} runs, ms) | ${figures.helpStartMs} | ${figures.nodeStartMs} | ${figures.helpStartRatio}× |`);
    console.log(`| \`batch-sign\` ${BATCH} three-page documents vs @signpdf (${BATCH_RUNS} runs, ms) | ${figures.batchSign100Ms} | ${figures.signpdfBatch100Ms} | ${figures.batchProcessSpeedup}× faster |`);
    console.log(`targets: --help within 3× of node: ${figures.helpStartRatio <= 3 ? 'met' : 'MISSED'}; batch-sign ≥ 10× @signpdf: ${figures.batchProcessSpeedup >= 10 ? 'met' : 'MISSED'}`);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--signpdf-child') {
  const [inDir, outDir, p12File, passphrase] = process.argv.slice(3);
  if (!inDir || !outDir || !p12File || !passphrase) throw new Error('usage: --signpdf-child IN OUT P12 PASSWORD');
  await signpdfChild(inDir, outDir, p12File, passphrase);
} else {
  await main();
}
