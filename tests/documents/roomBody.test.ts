import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { DocumentView } from '../../src/shared/http/documents';
import { lexicalParagraphs } from '../../src/sync-server/documents/roomBody';
import { call, getPdf, startOrg, type Org } from './helpers';
import { requireTools } from '../support/systemTools';

/** Writes paragraphs the way @lexical/yjs stores them: element XmlTexts holding a text map + its characters. */
function writeLexical(doc: Y.Doc, paragraphs: Array<string | string[]>): void {
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    paragraphs.forEach((p, i) => {
      const paragraph = new Y.XmlText();
      root.insertEmbed(i, paragraph);
      paragraph.setAttribute('__type', 'paragraph');
      const parts = Array.isArray(p) ? p : [p];
      let offset = 0;
      parts.forEach((part, j) => {
        if (j > 0) {
          const br = new Y.Map();
          paragraph.insertEmbed(offset++, br);
          br.set('__type', 'linebreak');
        }
        const text = new Y.Map();
        paragraph.insertEmbed(offset, text);
        text.set('__type', 'text');
        paragraph.insert(offset + 1, part);
        offset += 1 + part.length;
      });
    });
  });
}

function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xt-room-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), bytes);
    requireTools('pdftotext');
    return execFileSync('pdftotext', [join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('lexicalParagraphs', () => {
  it('reads blocks, nested lists and line breaks of a Lexical Yjs document', () => {
    const doc = new Y.Doc();
    writeLexical(doc, ['第一段。', ['第二段上半', '第二段下半']]);
    // A list: an element that only holds elements (list items with text).
    const root = doc.get('root', Y.XmlText);
    const list = new Y.XmlText();
    root.insertEmbed(2, list);
    const item = new Y.XmlText();
    list.insertEmbed(0, item);
    const map = new Y.Map();
    item.insertEmbed(0, map);
    item.insert(1, '列表项');
    expect(lexicalParagraphs(doc)).toEqual(['第一段。', '第二段上半', '第二段下半', '列表项']);
    expect(lexicalParagraphs(new Y.Doc())).toEqual([]);
  });
});

describe('the PDF takes its body from the document room', () => {
  let org: Org;
  beforeAll(async () => {
    org = await startOrg();
  });
  afterAll(async () => {
    await org.server.stop();
  });

  it('renders what the holder typed in the collaborative editor', async () => {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', title: '协同编辑正文', body: '表单中的旧正文。' } });
    const id = created.body.id;
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(org.server.url.replace('http', 'ws') + '/sync', `doc:${id}`, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: org.tokens.li! },
      disableBc: true,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('not synced')), 10_000);
        provider.once('sync', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      writeLexical(doc, ['一、总体要求。在协同编辑器中起草的正文。', '二、工作安排。']);
      let text = '';
      for (let attempt = 0; attempt < 50 && !text.includes('协同编辑器中起草的正文'); attempt++) {
        await new Promise((r) => setTimeout(r, 100));
        text = pdfText((await getPdf(org, 'li', id)).bytes);
      }
      expect(text).toContain('一、总体要求。在协同编辑器中起草的正文。');
      expect(text).toContain('二、工作安排。');
      expect(text).not.toContain('表单中的旧正文');
    } finally {
      provider.destroy();
      doc.destroy();
    }
  });
});
