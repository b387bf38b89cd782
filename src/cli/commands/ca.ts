/**
 * `xietong ca init|issue|revoke|crl` — an organisation's certificate authority kept in a folder
 * (root.pem, root.key.pem, index.json).
 */
import { writeFileSync } from 'node:fs';
import { crlFromCaDirectory, initCaDirectory, issueFromCaDirectory, revokeInCaDirectory, caPaths } from '../../signing/ca/caDirectory';
import { CliError, type CliCommand } from '../command';
import { parseCommandLine } from './sign';

const USAGE = `usage:
  xietong ca init   --dir DIR --name NAME [--years N]
  xietong ca issue  --dir DIR --cn NAME --unit UNIT --out FILE.p12 --password PW [--years N]
  xietong ca revoke --dir DIR --serial HEX [--reason TEXT]
  xietong ca crl    --dir DIR --out FILE [--days N]
  XIETONG_P12_PASSWORD may replace --password.`;

const OPTIONS = {
  dir: { type: 'string' },
  name: { type: 'string' },
  years: { type: 'string' },
  cn: { type: 'string' },
  unit: { type: 'string' },
  out: { type: 'string' },
  password: { type: 'string' },
  serial: { type: 'string' },
  reason: { type: 'string' },
  days: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliError(`--${name} is required\n${USAGE}`);
  return value;
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new CliError(`--${name} must be a positive number`);
  return parsed;
}

const command: CliCommand = {
  run(argv) {
    const [sub, ...rest] = argv;
    const { values } = parseCommandLine(rest, OPTIONS, USAGE);
    if (values.help || sub === '--help' || sub === '-h') {
      if (!values.help) console.log(USAGE);
      return Promise.resolve(0);
    }
    const dir = sub ? required(values, 'dir') : '';
    switch (sub) {
      case 'init': {
        initCaDirectory(dir, { name: required(values, 'name'), validityYears: positive(values.years, 'years') });
        console.log(`CA created: ${caPaths(dir).certificate} (key ${caPaths(dir).privateKey}; keep it offline)`);
        return Promise.resolve(0);
      }
      case 'issue': {
        const password = typeof values.password === 'string' ? values.password : process.env.XIETONG_P12_PASSWORD;
        if (!password) throw new CliError('--password PW is required (or set XIETONG_P12_PASSWORD)');
        const out = required(values, 'out');
        const issued = issueFromCaDirectory(dir, { commonName: required(values, 'cn'), unit: required(values, 'unit'), password, validityYears: positive(values.years, 'years') });
        writeFileSync(out, issued.p12, { mode: 0o600 });
        console.log(`issued ${out}: serial ${issued.serialHex}, valid until ${issued.notAfter.toISOString().slice(0, 10)}`);
        return Promise.resolve(0);
      }
      case 'revoke': {
        const record = revokeInCaDirectory(dir, required(values, 'serial'), typeof values.reason === 'string' ? values.reason : undefined);
        console.log(`revoked ${record.serialHex} (${record.commonName}, ${record.unit}) on ${record.revokedAt ?? ''}; publish a new CRL with: xietong ca crl --dir ${dir} --out FILE`);
        return Promise.resolve(0);
      }
      case 'crl': {
        const out = required(values, 'out');
        writeFileSync(out, crlFromCaDirectory(dir, { nextUpdateDays: positive(values.days, 'days') }));
        console.log(`CRL written to ${out}`);
        return Promise.resolve(0);
      }
      default:
        throw new CliError(`${sub ? `unknown subcommand "${sub}"` : 'a subcommand is required'}\n${USAGE}`);
    }
  },
};

export default command;
