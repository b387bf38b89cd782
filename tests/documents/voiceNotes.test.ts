/**
 * 语音签批 on the server: a recording is uploaded by its digest and bound to one document, only that
 * document's readers may fetch it, an action may cite only a recording already uploaded for that
 * document, and the audit entry of the step carries the recording's SHA-256 in its digest.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditResponse, DocumentView } from '../../src/shared/http/documents';
import { canonicalJson } from '../../src/sync-server/audit/auditLog';
import { act, call, pgSchema, startOrg, uid, type Org } from './helpers';

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
/** Bytes that stand for an Ogg/Opus recording (the server stores, never decodes, them). */
const recording = (seed: string, size = 4_000): Buffer => {
  const out = Buffer.alloc(size);
  Buffer.from(`OggS${seed}`).copy(out);
  for (let i = 16; i < size; i += 1) out[i] = (i * 31 + seed.length) & 0xff;
  return out;
};
const OGG = 'audio/ogg;codecs=opus';

const schema = pgSchema();
afterAll(async () => {
  await schema.drop();
});

describe.each([
  { store: 'sqlite', postgresUrl: undefined as string | undefined },
  { store: 'postgres', postgresUrl: schema.url },
])('语音签批 on $store', ({ postgresUrl }) => {
  let org: Org;
  let previousLimit: string | undefined;
  beforeAll(async () => {
    // A small limit so the 413 needs no 5 MB body; read when the routes are registered.
    previousLimit = process.env.XIETONG_VOICE_MAX_BYTES;
    process.env.XIETONG_VOICE_MAX_BYTES = '65536';
    try {
      org = await startOrg(postgresUrl ? { postgresUrl } : {});
    } finally {
      if (previousLimit === undefined) delete process.env.XIETONG_VOICE_MAX_BYTES;
      else process.env.XIETONG_VOICE_MAX_BYTES = previousLimit;
    }
  });
  afterAll(async () => {
    await org?.server.stop();
  });

  const put = (username: string, id: string, digest: string, bytes: Buffer, type = OGG) =>
    call<{ sha256: string; mimeType: string; size: number; error?: { code: string; message: string } }>(org.server.url, 'PUT', `/api/documents/${id}/voice/${digest}`, {
      token: org.tokens[username]!,
      body: bytes,
      headers: { 'content-type': type },
    });
  const fetchVoice = (username: string, id: string, digest: string) =>
    fetch(`${org.server.url}/api/documents/${id}/voice/${digest}`, { headers: { authorization: `Bearer ${org.tokens[username]!}` } });

  /** li drafts a 通知 and submits it to wang for 签发. */
  async function atSignoff(title: string): Promise<string> {
    const created = await call<DocumentView>(org.server.url, 'POST', '/api/documents', { token: org.tokens.li!, json: { kind: 'outgoing', type: 'notice', title } });
    expect(created.status).toBe(201);
    expect((await act(org, 'li', created.body.id, { action: 'submit', to: [uid('wang')] })).status).toBe(200);
    return created.body.id;
  }

  it('stores a recording for the document, once, and lets only its readers hear it', async () => {
    const id = await atSignoff('关于语音签批的通知');
    const bytes = recording('a');
    const digest = sha(bytes);

    const first = await put('wang', id, digest, bytes);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ sha256: digest, mimeType: OGG, size: bytes.length });
    // The same recording again (an outbox resend) is answered as a success and changes nothing.
    expect((await put('wang', id, digest, bytes)).status).toBe(200);

    // Readers of the document (the drafter, a colleague of the unit) get the exact bytes.
    for (const reader of ['li', 'zhao', 'wang']) {
      const response = await fetchVoice(reader, id, digest);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(OGG);
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
    }
    // A stranger (another unit, never sent the document) hears nothing and can add nothing.
    expect((await fetchVoice('chen', id, digest)).status).toBe(403);
    expect((await put('chen', id, digest, bytes)).status).toBe(403);
    expect((await put('chen', id, sha(recording('c')), recording('c'))).status).toBe(403);
    // Without a token: 401.
    expect((await fetch(`${org.server.url}/api/documents/${id}/voice/${digest}`)).status).toBe(401);
    // A recording of another document is not reachable through this one.
    const other = await atSignoff('另一份通知');
    expect((await fetchVoice('li', other, digest)).status).toBe(404);
    expect((await fetchVoice('li', id, '0'.repeat(64))).status).toBe(404);
  });

  it('refuses a recording that does not match its digest, is not Opus, is too large, or comes from someone who may not act', async () => {
    const id = await atSignoff('关于录音校验的通知');
    const bytes = recording('b');
    const wrong = await put('wang', id, sha(recording('x')), bytes);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error?.message).toContain('摘要不符');
    const mp3 = await put('wang', id, sha(bytes), bytes, 'audio/mpeg');
    expect(mp3.status).toBe(415);
    expect(mp3.body.error?.message).toContain('Opus');
    // The contract's own message is a catalogue wording, so the refusal carries its key for English.
    expect(mp3.body.error).toMatchObject({ key: 'voice.opusRequired', message: '录音格式须为 Opus（audio/ogg 或 audio/webm）' });
    const big = recording('big', 70_000);
    const tooLarge = await put('wang', id, sha(big), big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error?.message).toContain('录音过大');
    // zhao may read the document but holds no step of it: no recording from zhao... unless the
    // workflow gives her an action (催办 is a clerk's), so ask the server which it is.
    const view = await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.zhao! });
    const zhaoMay = view.body.availableActions.length > 0;
    expect((await put('zhao', id, sha(recording('z')), recording('z'))).status).toBe(zhaoMay ? 201 : 403);
    // Nothing refused was stored.
    expect((await fetchVoice('wang', id, sha(bytes))).status).toBe(404);
    expect((await fetchVoice('wang', id, sha(big))).status).toBe(404);
  });

  it('takes an action only with a recording already uploaded for that document, and audits its digest', async () => {
    const id = await atSignoff('关于语音批示的通知');
    const bytes = recording('approve', 8_000);
    const digest = sha(bytes);
    const voice = { sha256: digest, durationMs: 2_150, mimeType: OGG };

    // Not uploaded yet: refused with the reason, and the document stays at 签发.
    const early = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意', voice } });
    expect(early.status).toBe(422);
    expect(early.body.error?.message).toContain('录音尚未上传');
    // Uploaded for another document only: still refused.
    const other = await atSignoff('别的通知');
    expect((await put('wang', other, digest, bytes)).status).toBe(201);
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { voice } })).status).toBe(422);
    const still = await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.wang! });
    expect(still.body.state).toBe('signoff');

    expect((await put('wang', id, digest, bytes)).status).toBe(201);
    // The recorded format must be the uploaded one.
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { voice: { ...voice, mimeType: 'audio/webm;codecs=opus' } } })).status).toBe(400);
    // A malformed digest is the request's fault.
    expect((await act(org, 'wang', id, { action: 'approve', opinion: { voice: { ...voice, sha256: 'xyz' } } })).status).toBe(400);

    const approved = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意印发', voice }, clientId: '7d0f0c36-55a4-4c43-9a4f-0d7c3d2f6b11' });
    expect(approved.status).toBe(200);
    expect(approved.body.state).toBe('numbering');
    const entry = approved.body.history.at(-1)!;
    expect(entry).toMatchObject({ action: 'approve', actorName: '王建国', opinion: '同意印发', opinionVoice: voice });
    // A resend of the same command is applied once.
    const again = await act(org, 'wang', id, { action: 'approve', opinion: { text: '同意印发', voice }, clientId: '7d0f0c36-55a4-4c43-9a4f-0d7c3d2f6b11' });
    expect(again.status).toBe(200);
    expect(again.body.history.filter((h) => h.opinionVoice)).toHaveLength(1);
    // And an upload resent after the action (a client killed before it heard the answer) is harmless.
    expect((await put('wang', id, digest, bytes)).status).toBe(200);

    // Everyone on the route sees the voice entry and can fetch the recording.
    const seenByZhao = await call<DocumentView>(org.server.url, 'GET', `/api/documents/${id}`, { token: org.tokens.zhao! });
    expect(seenByZhao.body.history.at(-1)?.opinionVoice).toEqual(voice);
    expect((await fetchVoice('zhao', id, digest)).status).toBe(200);

    // The audit entry of 签发 carries the digest, and its payloadDigest covers it.
    const audit = await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.wang! });
    expect(audit.body.valid).toBe(true);
    const approveEntry = audit.body.entries.find((e) => e.action === 'approve')!;
    expect(approveEntry.payload).toMatchObject({ opinionVoice: { sha256: digest, durationMs: 2_150 } });
    expect(approveEntry.payloadDigest).toBe(createHash('sha256').update(canonicalJson(approveEntry.payload), 'utf8').digest('hex'));
    // Swapping the recording's digest in the stored entry breaks the chain.
    const forged = 'f'.repeat(64);
    await org.server.deps.db.run('UPDATE audit_entries SET payload = REPLACE(payload, ?, ?) WHERE document_id = ? AND action = ?', [digest, forged, id, 'approve']);
    const tampered = await call<AuditResponse>(org.server.url, 'GET', `/api/documents/${id}/audit`, { token: org.tokens.wang! });
    expect(tampered.body.valid).toBe(false);
  });
});
