/** approvals-001 (批量签批) on both stores: one row per document and record digest, the latest found by time. */
import { expect, it } from 'vitest';
import { approvalMigrations } from '../../src/sync-server/documents/approvalSignatures';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('approval signature migrations on $name', 'xt-approval-migrations-', (target) => {
  it('approvals-001 keeps one signed approval per document and record', async () => {
    expect(await migrate(target.db, approvalMigrations)).toEqual(['approvals-001-batch-signoff-signatures']);
    const insert = (record: string, at: number) =>
      target.db.run(
        'INSERT INTO document_approval_signatures (document_id, record_sha256, record, fields, sheet_sha256, signer_id, signer_name, signer_serial_hex, signature_digest, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['d1', record, '{}', '{}', 's', 'u', '王建国', '01', 'x', at],
      );
    await insert('r1', 1);
    await insert('r2', 2);
    await expect(insert('r1', 3)).rejects.toThrow();
    const latest = await target.db.get<{ record_sha256: string }>('SELECT record_sha256 FROM document_approval_signatures WHERE document_id = ? ORDER BY created_at DESC LIMIT 1', ['d1']);
    expect(latest?.record_sha256).toBe('r2');
  });
});
