/**
 * The demo organisation's CA and one signing certificate per demo person (INTERFACES.md):
 * `<dataDir>/demo/ca/root.pem` (key beside it) and `<dataDir>/demo/certs/<username>.p12`, password
 * `demo1234`. The server trusts the root. Created once; what exists is never overwritten.
 *
 * Private keys of people belong on their desks, not on a server: this exists only for the demo,
 * where one machine plays every desk.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caPaths, initCaDirectory, issueFromCaDirectory } from '../../signing/index';
import type { Accounts } from '../accounts/accounts';
import { DEMO_PASSWORD, demoPeople, demoUnits } from './seed';

export const DEMO_CA_NAME = '市人民政府（演示）';

export interface DemoCertificatePaths {
  caDir: string;
  rootPem: string;
  certsDir: string;
  p12(username: string): string;
}

export function demoCertificatePaths(dataDir: string): DemoCertificatePaths {
  const caDir = join(dataDir, 'demo', 'ca');
  const certsDir = join(dataDir, 'demo', 'certs');
  return { caDir, rootPem: caPaths(caDir).certificate, certsDir, p12: (username) => join(certsDir, `${username}.p12`) };
}

/** Creates what is missing of the demo CA and certificates and trusts the root. Resolves to the files written. */
export async function ensureDemoCertificates(dataDir: string, accounts: Accounts): Promise<string[]> {
  const paths = demoCertificatePaths(dataDir);
  const written: string[] = [];
  if (!existsSync(paths.rootPem)) {
    initCaDirectory(paths.caDir, { name: DEMO_CA_NAME });
    written.push(paths.rootPem);
  }
  mkdirSync(paths.certsDir, { recursive: true });
  for (const person of demoPeople) {
    const file = paths.p12(person.username);
    if (existsSync(file)) continue;
    const unit = demoUnits.find((u) => u.id === person.unitId)?.name ?? '';
    const issued = issueFromCaDirectory(paths.caDir, { commonName: person.name, unit, password: DEMO_PASSWORD });
    writeFileSync(file, issued.p12, { mode: 0o600 });
    written.push(file);
  }
  await accounts.addTrustedRoot(`${DEMO_CA_NAME} 根证书`, readFileSync(paths.rootPem, 'utf8'));
  return written;
}
