/**
 * `xietong verify IN.pdf --trust ROOT.pem [--crl FILE] [--json]` — checks every signature; exit 0
 * only if all are intact, trusted, unrevoked and nothing but further signatures followed each.
 */
import type { Check } from '../../signing/verify/cmsVerify';
import { verifyPdf, type SignatureVerification } from '../../signing/verify/verifyPdf';
import { CliError, type CliCommand } from '../command';
import { parseCommandLine, readInput } from './sign';

const USAGE = `usage: xietong verify IN.pdf --trust ROOT.pem [--trust MORE.pem…] [--crl FILE…] [--json]`;

const LABELS: Record<string, string> = {
  byteRange: 'byte range',
  digest: 'digest',
  signature: 'signature',
  pades: 'PAdES',
  chain: 'chain',
  validity: 'validity',
  revocation: 'revocation',
  modifications: 'later changes',
  timestamp: 'time-stamp',
};

function describe(signature: SignatureVerification): string {
  const lines = [
    `signature ${signature.index} (${signature.fieldName}): ${signature.ok ? 'VALID' : 'INVALID'}`,
    `  signer: ${signature.signerName ?? 'unknown'}${signature.signerSerialHex ? ` (serial ${signature.signerSerialHex})` : ''}`,
  ];
  if (signature.claimedSigningTime) lines.push(`  signed at: ${signature.claimedSigningTime}${signature.timestampTime ? `, time-stamped ${signature.timestampTime}` : ''}`);
  if (signature.reason) lines.push(`  reason: ${signature.reason}`);
  if (signature.certification) lines.push('  certification signature (only further signatures allowed)');
  for (const [key, check] of Object.entries(signature.checks) as Array<[string, Check]>) lines.push(`  ${check.ok ? 'ok  ' : 'FAIL'} ${(LABELS[key] ?? key).padEnd(13)} ${check.detail}`);
  return lines.join('\n');
}

const command: CliCommand = {
  async run(argv) {
    const { values, positionals } = parseCommandLine(
      argv,
      { trust: { type: 'string', multiple: true }, crl: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      USAGE,
    );
    if (values.help) return 0;
    const [input, ...extra] = positionals;
    if (!input || extra.length) throw new CliError(`exactly one input PDF is required\n${USAGE}`);
    const trust = (values.trust as string[] | undefined) ?? [];
    if (trust.length === 0) throw new CliError(`--trust ROOT.pem is required\n${USAGE}`);
    const roots = trust.map((file) => readInput(file, 'trusted root').toString('latin1'));
    if (roots.some((root) => !root.includes('-----BEGIN CERTIFICATE-----'))) throw new CliError('--trust must name PEM certificate files');
    const crls = ((values.crl as string[] | undefined) ?? []).map((file) => readInput(file, 'CRL'));
    const result = await verifyPdf(readInput(input, 'input'), { trustedRoots: roots, crls });
    if (values.json) console.log(JSON.stringify({ file: input, ...result }, null, 2));
    else {
      if (result.signatureCount === 0) console.log(`${input}: no signatures`);
      for (const signature of result.signatures) console.log(describe(signature));
      console.log(result.ok ? `${input}: all ${result.signatureCount} signature(s) valid` : `${input}: NOT valid`);
    }
    return result.ok ? 0 : 1;
  },
};

export default command;
