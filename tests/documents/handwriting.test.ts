/**
 * 手写签批 through the server: the ink of an opinion is validated, kept in the 流转记录 and the audit
 * entry (whose digest covers every point), and drawn as vector paths into its box of the 处理笺 that
 * `GET /api/documents/:id/sheet` serves to the document's readers only.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InkDrawing, InkPoint } from '../../src/shared/domain/documents/opinion';
import type { AuditResponse, DocumentView } from '../../src/shared/http/documents';
import { canonicalJson } from '../../src/sync-server/audit/auditLog';
import { sheetOpinions } from '../../src/sync-server/documents/sheetService';
import { opinionSheetBoxes, renderOpinionSheet } from '../../src/signing/render';
import { act, call, NDRC, startOrg, uid, type Org } from './helpers';
import { inkBox, pdfText, rasterise } from './pixels';

const isRedInk = ([r, g, b]: [number, number, number]) => r > 150 && g < 110 && b < 110;

/** A red 同意-like flourish: a rising-pressure stroke across the left half of a 600 × 300 pad. */
function drawing(shift = 0): InkDrawing {
  const points: InkPoint[] = Array.from({ length: 40 }, (_, i) => [60 + i * 5 + shift, 120 + Math.sin(i / 6) * 30, 0.3 + (0.6 * i) / 39, i * 16, 10, -5]);
  return { width: 600, height: 300, strokes: [{ color: 'red', size: 9, points }] };
}

describe('handwritten opinions (手写签批) and the 处理笺', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => {
    await org.server.stop();
  });

  async function draftToSignoff(title = '关于开展冬季防火检查的通知'): Promise<string> {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title, body: '请认真开展检查。', mainRecipients: [{ unitId: NDRC, name: '市发展和改革委员会' }] },
    });
    expect(created.status).toBe(201);
    const submitted = await act(org, 'li', created.body.id, { action: 'submit', to: [uid('wang')], opinion: { text: '请领导审阅。' } });
    expect(submitted.status).toBe(200);
    expect(submitted.body.state).toBe('signoff');
    return created.body.id;
  }

  const sheet = (username: string, id: string) => fetch(`${org.server.url}/api/documents/${id}/sheet`, { headers: { authorization: `Bearer ${org.tokens[username]!}` } });

  it('keeps the strokes with the 签发 step and draws them into the 签发 box of the 发文稿纸', async () => {
    const id = await draftToSignoff();
    const ink = drawing();
    const approved = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意', ink } });
    expect(approved.status).toBe(200);
    const entry = approved.body.history.find((h) => h.action === 'approve')!;
    expect(entry.opinion).toBe('同意');
    expect(entry.opinionInk).toEqual(ink);

    // zhao (a reader of the unit) fetches the sheet.
    const response = await sheet('zhao', id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('市政府办公室发文稿纸');
    expect(text).toContain('关于开展冬季防火检查的通知');
    expect(text).toContain('请领导审阅。');
    expect(text).toContain('王建国');

    // The red ink is inside the 签发 box, at the place of the pad it was written, scaled uniformly.
    const signoff = opinionSheetBoxes('outgoing').find((b) => b.box === 'signoff')!;
    const red = inkBox(rasterise(pdf, 72)[0]!, isRedInk);
    expect(red).not.toBeNull();
    expect(red!.top).toBeGreaterThan(signoff.yMm);
    expect(red!.bottom).toBeLessThan(signoff.yMm + signoff.heightMm);
    const view = (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.zhao! })).body;
    const expected = await renderOpinionSheet({ kind: 'outgoing', unitName: '市政府办公室', title: view.title, opinions: sheetOpinions(view.history), asOf: view.history.at(-1)!.at });
    const placed = expected.ink.find((p) => p.box === 'signoff')!;
    const xs = ink.strokes[0]!.points.map((p) => p[0]);
    const slack = 9 * placed.scale + 0.6;
    expect(Math.abs(red!.left - (placed.xMm + Math.min(...xs) * placed.scale))).toBeLessThan(slack);
    expect(Math.abs(red!.right - (placed.xMm + Math.max(...xs) * placed.scale))).toBeLessThan(slack);
    // The pad's right half is empty: so is the right half of the drawing's place on the sheet.
    expect(red!.right).toBeLessThan(placed.xMm + placed.widthMm / 2);
  });

  it('serves the sheet only to people who may read the document', async () => {
    const id = await draftToSignoff('关于调整办公用房的请示');
    expect((await sheet('li', id)).status).toBe(200);
    const stranger = await sheet('chen', id);
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { error: { code: string; message: string } }).error.message).toMatch(/无权/);
    expect((await sheet('chen', 'no-such-document')).status).toBe(404);
    expect((await fetch(`${org.server.url}/api/documents/${id}/sheet`)).status).toBe(401);
  });

  it('the audit entry of the step carries the strokes and its digest covers them', async () => {
    const id = await draftToSignoff('关于印发值班安排的通知');
    const ink = drawing(10);
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { ink } })).status).toBe(200);
    const audit = async () => (await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.li! })).body;
    const clean = await audit();
    expect(clean.valid).toBe(true);
    const entry = clean.entries.find((e) => e.action === 'approve')!;
    expect((entry.payload as { opinionInk?: InkDrawing }).opinionInk).toEqual(ink);
    expect(entry.payloadDigest).toBe(createHash('sha256').update(canonicalJson(entry.payload)).digest('hex'));

    // Move one point of one stroke by a unit in the stored entry: the chain no longer verifies.
    const db = org.server.deps.db;
    const row = await db.get<{ payload: string }>('SELECT payload FROM audit_entries WHERE document_id = ? AND seq = ?', [id, entry.seq]);
    const payload = JSON.parse(row!.payload) as { opinionInk: InkDrawing };
    payload.opinionInk.strokes[0]!.points[5]![0] += 1;
    await db.run('UPDATE audit_entries SET payload = ? WHERE document_id = ? AND seq = ?', [canonicalJson(payload), id, entry.seq]);
    const tampered = await audit();
    expect(tampered.valid).toBe(false);
    expect(tampered.problems.join('')).toContain(`第${entry.seq}条记录的内容被改动`);
    await db.run('UPDATE audit_entries SET payload = ? WHERE document_id = ? AND seq = ?', [row!.payload, id, entry.seq]);
    expect((await audit()).valid).toBe(true);
  });

  it('refuses handwriting the schema does not allow, and too many points with 413, losing nothing', async () => {
    const id = await draftToSignoff('关于举办业务培训的通知');
    const bad = async (ink: unknown) => act(org, 'wang', id, { action: 'approve', opinion: { ink } });
    const pressure = drawing();
    pressure.strokes[0]!.points[3]![2] = 1.5;
    expect((await bad(pressure)).status).toBe(400);
    expect((await bad({ width: 600, height: 300, strokes: [] })).status).toBe(400);
    expect((await bad({ width: 600, height: 300, strokes: [{ color: 'green', size: 9, points: [[1, 1, 0.5, 0, 0, 0]] }] })).status).toBe(400);
    expect((await bad({ width: 600, height: 300, strokes: [{ color: 'red', size: 9, points: [[1, 1, 0.5, 0]] }] })).status).toBe(400);

    // 51 strokes of 1,000 points: each stroke is allowed, the whole is over the 50,000 cap.
    const stroke = { color: 'black', size: 4, points: Array.from({ length: 1000 }, (_, i) => [i % 600, 100, 0.5, i, 0, 0]) };
    const tooMuch = await bad({ width: 600, height: 300, strokes: Array.from({ length: 51 }, () => stroke) });
    expect(tooMuch.status).toBe(413);
    expect(tooMuch.body.error?.message).toContain('50000');

    // Nothing moved: wang still holds it at 签发 and can approve with ink within the limits.
    const view = (await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.wang! })).body;
    expect(view.state).toBe('signoff');
    const fine = await bad({ width: 600, height: 300, strokes: Array.from({ length: 49 }, () => stroke) });
    expect(fine.status).toBe(200);
    expect(fine.body.state).toBe('numbering');
  });

  it('a 批示 may be given by hand alone, and lands in the 批示 box of the 收文处理笺', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.zhao!,
      json: { kind: 'incoming', type: 'request', title: '关于申请专项资金的请示' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await act(org, 'zhao', id, { action: 'register' })).status).toBe(200);
    expect((await act(org, 'zhao', id, { action: 'propose', opinion: { text: '拟请王主任阅示。' }, to: [uid('wang')] })).status).toBe(200);
    const instructed = await act(org, 'wang', id, { action: 'instruct', opinion: { ink: drawing() } });
    expect(instructed.status).toBe(200);
    const pdf = Buffer.from(await (await sheet('zhao', id)).arrayBuffer());
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain('收文处理笺');
    const box = opinionSheetBoxes('incoming').find((b) => b.box === 'instruct')!;
    const red = inkBox(rasterise(pdf, 72)[0]!, isRedInk)!;
    expect(red.top).toBeGreaterThan(box.yMm);
    expect(red.bottom).toBeLessThan(box.yMm + box.heightMm);
  });

  it('归档 keeps the 处理笺 with the document: stored once, served as stored from then on', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.zhao!,
      json: { kind: 'incoming', type: 'letter', title: '关于商请协助调研的函' },
    });
    const id = created.body.id;
    expect((await act(org, 'zhao', id, { action: 'register' })).status).toBe(200);
    expect((await act(org, 'zhao', id, { action: 'propose', opinion: { text: '拟请王主任阅示。' }, to: [uid('wang')] })).status).toBe(200);
    expect((await act(org, 'wang', id, { action: 'instruct', opinion: { text: '请李文同志办理。', ink: drawing() }, to: [uid('li')] })).status).toBe(200);
    expect((await act(org, 'li', id, { action: 'complete', opinion: { text: '已办理完毕。' } })).status).toBe(200);
    const db = org.server.deps.db;
    expect(await db.get('SELECT sha256 FROM document_sheets WHERE document_id = ?', [id])).toBeUndefined();
    const archived = await act(org, 'zhao', id, { action: 'archive' });
    expect(archived.status).toBe(200);
    expect(archived.body.state).toBe('archived');

    const link = await db.get<{ sha256: string }>('SELECT sha256 FROM document_sheets WHERE document_id = ?', [id]);
    expect(link?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const served = Buffer.from(await (await sheet('li', id)).arrayBuffer());
    expect(createHash('sha256').update(served).digest('hex')).toBe(link!.sha256);
    const text = pdfText(served).replace(/\s+/g, '');
    expect(text).toContain('请李文同志办理。');
    expect(text).toContain('已办理完毕。');
    // What is served is the archived blob itself: replace it and the route answers with the replacement.
    const marker = Buffer.from('%PDF-1.7 archived copy');
    await db.run('UPDATE document_blobs SET bytes = ? WHERE sha256 = ?', [marker, link!.sha256]);
    expect(Buffer.from(await (await sheet('li', id)).arrayBuffer()).equals(marker)).toBe(true);
  });
});
