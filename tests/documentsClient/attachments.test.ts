/**
 * 附件 through main (src/main/services/attachments) against a real sync server with the demo
 * organisation: the holder adds, reads back and removes; someone who does not hold the document
 * gets the server's refusal in Chinese.
 */
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { LocalDocument } from '../../src/shared/api';
import { useDemoServer } from './support/demoClients';

const { client } = useDemoServer('xt-attach-');

describe('附件 through main', () => {
  it('li adds a file to her draft and reads it back byte-identical; wang, not the holder, is refused; li removes it', async () => {
    const li = await client('li');
    const created = await li.value<LocalDocument>('documents:create', { kind: 'outgoing', title: '关于报送年度预算的通知' });
    const documentId = created.document.id;

    const file = Buffer.concat([Buffer.from('预算表\n', 'utf8'), randomBytes(200_000)]);
    const added = await li.value<LocalDocument>('attachments:add', { documentId, name: '附件1：2027年度预算表.xlsx', base64: file.toString('base64') });
    expect(added.document.fields.attachments).toHaveLength(1);
    const attachment = added.document.fields.attachments[0];
    expect(attachment?.name).toBe('附件1：2027年度预算表.xlsx');
    const sha256 = attachment?.sha256 ?? '';
    expect(sha256).toMatch(/^[0-9a-f]{64}$/);

    const read = await li.value<{ name: string; base64: string }>('attachments:get', { documentId, sha256 });
    expect(read.name).toBe('附件1：2027年度预算表.xlsx');
    expect(Buffer.from(read.base64, 'base64').equals(file)).toBe(true);

    // The same file twice: the server's 409 in its own words.
    const twice = await li.call('attachments:add', { documentId, name: '重复.xlsx', base64: file.toString('base64') });
    expect(twice).toMatchObject({ ok: false, error: { code: 'conflict', message: '该文件已是本公文的附件' } });

    const wang = await client('wang');
    const refused = await wang.call<LocalDocument>('attachments:add', { documentId, name: '王的附件.txt', base64: Buffer.from('不该加上').toString('base64') });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const stillOne = await li.value<LocalDocument>('documents:get', { id: documentId });
    expect(stillOne.document.fields.attachments.map((a) => a.sha256)).toEqual([sha256]);

    const removed = await li.value<LocalDocument>('attachments:remove', { documentId, sha256 });
    expect(removed.document.fields.attachments).toEqual([]);
    const gone = await li.call('attachments:get', { documentId, sha256 });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found', message: '找不到该附件' } });
  }, 120_000);
});
