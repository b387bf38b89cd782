/**
 * Issue 19 on a real server: a body drafted with structure (headings by level, bold, a table, a page
 * break, 附件说明) in the editor's Yjs layout is previewed with it, fixed with it at 签发 — the snapshot
 * stores the structure beside the text whose digest the audit carries — and the numbered PDF renders
 * from that snapshot: numbered headings and table cells, whatever the room holds afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocket } from 'ws';
import type { DocumentView } from '../../src/shared/http/documents';
import { BodyStructureSchema, type BodyBlock } from '../../src/shared/domain/documents';
import { readBodySnapshot } from '../../src/sync-server/documents/bodySnapshot';
import { readRoomStructure } from '../../src/sync-server/documents/roomBody';
import { encodeSyncUpdate } from '../../src/sync-server/sync/protocol';
import { rawClient } from '../sync/helpers';
import { requireTools } from '../support/systemTools';
import { structuredBodyUpdate } from '../support/lexicalYjs';
import { act, call, getPdf, startOrg, uid, type Org } from './helpers';

function pdfText(bytes: Buffer): string {
  requireTools('pdftotext');
  const dir = mkdtempSync(join(tmpdir(), 'xt-structure-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), bytes);
    return execFileSync('pdftotext', [join(dir, 'd.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const body: BodyBlock[] = [
  { kind: 'heading', level: 1, runs: [{ text: '总体要求' }] },
  { kind: 'paragraph', runs: [{ text: '坚持' }, { text: '稳中求进', bold: true }, { text: '工作总基调。' }] },
  { kind: 'heading', level: 2, runs: [{ text: '任务分工' }] },
  { kind: 'table', rows: [['责任单位', '任务'], ['市财政局', '资金保障']] },
  { kind: 'pageBreak' },
  { kind: 'heading', level: 1, runs: [{ text: '保障措施' }] },
  { kind: 'attachmentNote', runs: [{ text: '任务分工表' }] },
];

describe('the structured body from the room to the approved snapshot and the PDF', () => {
  let org: Org;
  const sockets: WebSocket[] = [];
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await org.server.stop();
  });

  it('renders numbered headings and the table, and keeps the structure at 签发', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title: '关于做好年度重点工作的通知', body: '表单中的正文。', writtenDate: '2026-12-05' },
    });
    const id = created.body.id;
    const { ws } = await rawClient(`${org.server.url.replace('http', 'ws')}/sync/doc:${id}?token=${org.tokens.li!}`);
    sockets.push(ws);
    ws.send(encodeSyncUpdate(structuredBodyUpdate(body)));
    for (let attempt = 0; attempt < 100 && (await readRoomStructure(org.server.deps.loadRoomUpdates, id)) === undefined; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await readRoomStructure(org.server.deps.loadRoomUpdates, id)).toEqual(body);

    // The live preview already renders it with its structure.
    const preview = pdfText((await getPdf(org, 'li', id)).bytes);
    expect(preview).toContain('一、总体要求');
    expect(preview).toContain('（一）任务分工');
    expect(preview).toContain('市财政局');
    expect(preview).toContain('二、保障措施');
    expect(preview).toContain('附件：任务分工表');
    expect(preview).not.toContain('表单中的正文');

    // 提交, then 签发: the snapshot keeps the structure; the audit's digest is of its text.
    expect((await act(org, 'li', id, { action: 'submit', to: [uid('wang')] })).body.state).toBe('signoff');
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' } })).body.state).toBe('numbering');
    const snapshot = await readBodySnapshot(org.server.deps.db, id);
    expect(snapshot!.blocks).toEqual(body);
    expect(snapshot!.body).toBe('一、总体要求\n坚持稳中求进工作总基调。\n（一）任务分工\n责任单位　任务\n市财政局　资金保障\n二、保障措施\n任务分工表');
    expect(snapshot!.sha256).toBe(createHash('sha256').update(snapshot!.body, 'utf8').digest('hex'));
    const stored = await org.server.deps.db.get<{ structure: string }>('SELECT structure FROM document_body_snapshots WHERE document_id = ?', [id]);
    expect(BodyStructureSchema.parse(JSON.parse(stored!.structure)).blocks).toEqual(body);

    // 编号 renders (and freezes) the approved body with its structure.
    expect((await act(org, 'zhao', id, { action: 'number' })).body.state).toBe('sealing');
    const numbered = pdfText((await getPdf(org, 'zhao', id)).bytes);
    expect(numbered).toContain('一、总体要求');
    expect(numbered).toContain('（一）任务分工');
    expect(numbered).toContain('资金保障');
  });

  it('renders an approved snapshot stored before structures existed from its text', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', {
      token: org.tokens.li!,
      json: { kind: 'outgoing', type: 'notice', title: '关于旧快照的通知', body: '一、旧的正文。\n第二段。', writtenDate: '2026-12-05' },
    });
    const id = created.body.id;
    await act(org, 'li', id, { action: 'submit', to: [uid('wang')] });
    await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意' } });
    // As a snapshot taken before migration documents-006: no structure.
    await org.server.deps.db.run('UPDATE document_body_snapshots SET structure = NULL WHERE document_id = ?', [id]);
    expect((await readBodySnapshot(org.server.deps.db, id))!.blocks).toEqual([
      { kind: 'paragraph', runs: [{ text: '一、旧的正文。' }] },
      { kind: 'paragraph', runs: [{ text: '第二段。' }] },
    ]);
    const text = pdfText((await getPdf(org, 'wang', id)).bytes);
    expect(text).toContain('一、旧的正文。');
    expect(text).toContain('第二段。');
  });
});
