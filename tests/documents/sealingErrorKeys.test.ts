/**
 * Refusals of a sealed upload carry catalogue keys in the cases that used to add Chinese words to a
 * parameter: a file with no signature at all, and a seal by someone other than the holder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordError } from '../../src/shared/errors';
import { HttpErrorBodySchema } from '../../src/shared/http/errors';
import { act, call, draftToNumbering, getPdf, putPdf, sealPdf, startOrg, type Org } from './helpers';

describe('sealing refusals carry catalogue keys', () => {
  let org: Org;
  let id: string;
  let pdf: Awaited<ReturnType<typeof getPdf>>;
  beforeAll(async () => {
    org = await startOrg({ certified: { zhao: '赵敏|市政府办公室', li: '李文|市政府办公室' } });
    id = await draftToNumbering(org, '关于签章错误提示的通知');
    expect((await act(org, 'zhao', id, { action: 'number' })).status).toBe(200);
    pdf = await getPdf(org, 'zhao', id);
  });
  afterAll(async () => {
    await org.server.stop();
  });

  it('an upload by someone who does not hold 用印 is refused with the workflow\'s key, not only its words', async () => {
    const refused = await putPdf(org, 'li', id, Buffer.concat([pdf.bytes, Buffer.from('\n% nothing signed\n')]));
    expect(refused.status).toBe(403);
    expect(HttpErrorBodySchema.parse(refused.body).error.key).toMatch(/^workflow\./);
    // The same for the approval basis, asked for by someone who may not approve now.
    const basis = await call(org.server.url, 'GET', `/api/documents/${id}/approval-basis`, { token: org.tokens.li! });
    expect(basis.status).toBe(403);
    expect(HttpErrorBodySchema.parse(basis.body).error.key).toMatch(/^workflow\./);
  });

  it('an upload that appends no signature: sealing.noSignature', async () => {
    const refused = await putPdf(org, 'zhao', id, Buffer.concat([pdf.bytes, Buffer.from('\n% nothing signed\n')]));
    expect(refused.status).toBe(422);
    const { error } = HttpErrorBodySchema.parse(refused.body);
    expect(error).toEqual({ code: 'rejected', key: 'sealing.noSignature', message: '签章验证未通过：没有签章' });
    expect(wordError(error, 'en')).toBe('The seal signature did not verify: the file carries no signature');
  });

  it('a seal made with someone else\'s certificate: sealing.certificateNotSigner naming the holder', async () => {
    const refused = await putPdf(org, 'zhao', id, await sealPdf(pdf.bytes, org.p12.li!, pdf.placement!, '市政府办公室'));
    expect(refused.status).toBe(422);
    const { error } = HttpErrorBodySchema.parse(refused.body);
    expect(error).toEqual({ code: 'rejected', key: 'sealing.certificateNotSigner', params: { names: '赵敏', unitName: '市政府办公室' }, message: '签章证书不是赵敏（市政府办公室）的证书' });
  });
});
