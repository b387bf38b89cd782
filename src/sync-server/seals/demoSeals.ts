/**
 * The demo organisation's seals: one 公章 per demo unit, bound to the certificate of that unit's
 * clerk (赵敏 for 市政府办公室, 陈静 for 市发展和改革委员会) and held by that clerk, so 用印 works in the
 * demo exactly as an admin would set it up. Created only where the demo certificates exist, once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { openPkcs12Signer } from '../../signing';
import { demoCertificatePaths } from '../demo/certificates';
import { DEMO_PASSWORD, demoUnits, demoUserId } from '../demo/seed';
import type { ServerDeps } from '../deps';
import { grantSealHolder, insertSeal, parseSealCertificate } from './registry';

export const demoSealPlan = [
  { id: 'seal-unit-szfb-official', unitId: 'unit-szfb', clerk: 'zhao' },
  { id: 'seal-unit-sfgw-official', unitId: 'unit-sfgw', clerk: 'chen' },
] as const;

/** Resolves to how many seals were created now (0 when they exist or this is not a demo store). */
export async function ensureDemoSeals(deps: Pick<ServerDeps, 'db' | 'accounts' | 'dataDir' | 'now'>): Promise<number> {
  const paths = demoCertificatePaths(deps.dataDir);
  let created = 0;
  for (const plan of demoSealPlan) {
    const file = paths.p12(plan.clerk);
    const clerk = await deps.accounts.userById(demoUserId(plan.clerk));
    const unit = demoUnits.find((u) => u.id === plan.unitId);
    // Only the demo organisation as seeded: its clerk in its unit, with the demo certificate.
    if (!existsSync(file) || !clerk || clerk.unitId !== plan.unitId || !unit) continue;
    if (await deps.db.get('SELECT id FROM seals WHERE id = ?', [plan.id])) continue;
    const signer = openPkcs12Signer(readFileSync(file), DEMO_PASSWORD);
    const der = signer.certificateChain[0];
    signer.close();
    if (!der) continue;
    const certificate = parseSealCertificate(new X509Certificate(der).toString());
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      const inserted = await insertSeal(tx, {
        id: plan.id,
        unitId: plan.unitId,
        name: `${unit.name}公章`,
        kind: 'official',
        bottomText: null,
        imageSha256: null,
        certificate,
        createdBy: 'demo',
        now,
      });
      if (!inserted) return;
      await grantSealHolder(tx, plan.id, clerk.id, { id: 'demo', name: '系统管理员' }, now);
      created += 1;
    });
  }
  return created;
}
