/** exchange-004: the CRL store and 催收 columns, on both adapters, over items that existed before. */
import { expect, it } from 'vitest';
import { exchangeMigrations } from '../../src/sync-server/exchange/migrations';
import { migrate } from '../../src/sync-server/store';
import { describeOnBothAdapters } from '../support/migrationHarness';

describeOnBothAdapters('exchange migrations on $name', 'xt-exchange-migrations-', (target) => {
  it('exchange-004 adds the CRL store and 催收 to items already sent', async () => {
    await migrate(target.db, exchangeMigrations.slice(0, 3));
    await target.db.run(
      "INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at) VALUES ('x1', 'd1', 'u1', 'u2', '旧', 'abc', 'normal', 'none', 'pending', 'p', '赵敏', 1)",
    );
    expect(await migrate(target.db, exchangeMigrations)).toEqual(['exchange-004-verification-crls-reminders']);
    expect(await target.db.get("SELECT reminder_count, reminded_at FROM exchange_items WHERE id = 'x1'")).toEqual({ reminder_count: 0, reminded_at: null });
    const crl = "INSERT INTO exchange_crls (issuer, pem, this_update, next_update, revoked_count, source, loaded_at) VALUES ('CN=根', 'pem', 1, NULL, 0, 'file', 1)";
    await target.db.run(crl);
    // One CRL per issuer.
    await expect(target.db.run(crl)).rejects.toThrow();
  });
});
