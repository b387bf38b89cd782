/**
 * HTTP routes of official documents (INTERFACES.md) and delegation, and the `doc:` room rule.
 * Every body and query is parsed with the schemas of src/shared/http/documents.ts.
 */
import { canReadDocument, mayEditBody, mayTake, type FontOverrides } from '../../shared/domain/documents';
import {
  AttachmentUploadQuerySchema,
  ChangesQuerySchema,
  ClientIdHeaderSchema,
  CreateDelegationRequestSchema,
  CreateDocumentRequestSchema,
  DocumentActionRequestSchema,
  DocumentListQuerySchema,
  SetCoDraftersRequestSchema,
  UpdateDocumentRequestSchema,
} from '../../shared/http/documents';
import { DEFAULT_MAX_VOICE_BYTES, VoiceMimeTypeSchema } from '../../shared/http/voice';
import type { ServerDeps } from '../deps';
import { badRequest, forbidden, HttpError } from '../http/errors';
import { idParam, sha256Param } from '../http/params';
import { created, noContent, ok, type Reply, type Router } from '../http/router';
import { prepareStagingDir, stageUpload, UploadSlots } from '../http/uploads';
import { DocumentPdfService, fontOverridesFromEnv, MAX_PDF_BYTES, type PdfVerifier } from './pdfService';
import { loadDocument } from './repository';
import { changeFeedFor } from './changeFeed';
import { CoDrafterService, coDraftersOf } from './coDrafters';
import { DocumentService } from './service';
import { OpinionSheetService } from './sheetService';
import { approvalBasis, verifyApprovalUpload } from './approvalSignatures';
import { errorText, textOfWording } from '../../shared/errors';

export interface DocumentRouteOptions {
  /** Replace signature verification (tests of the upload path's own rules). */
  verifier?: PdfVerifier;
  /** Official fonts; default: from `XIETONG_FONT_<ROLE>` environment variables. */
  fonts?: FontOverrides;
  /** Uploads (PDF, attachments) one person may have in progress at once on this instance. Default 2. */
  uploadsPerPerson?: number;
  /** Largest 语音签批 recording in bytes; default `XIETONG_VOICE_MAX_BYTES` or 5 MB. */
  maxVoiceBytes?: number;
}

/** The recording size limit from the environment (a deployment may allow longer notes). */
export function maxVoiceBytesFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.XIETONG_VOICE_MAX_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_VOICE_BYTES;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1024 || value > 100 * 1024 * 1024) throw new Error(`XIETONG_VOICE_MAX_BYTES 须为 1024 到 104857600 之间的整数（现为 ${raw}）`);
  return value;
}

/** Largest attachment accepted (a scanned 附件 can be big; the store keeps it as one blob). */
const MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024;

/** Largest action request: an opinion's handwriting of up to 50,000 points is about 1.5 MB of JSON. */
const MAX_ACTION_BYTES = 4 * 1024 * 1024;

/** The optional `X-Client-Id` of an upload (the outbox command's id); a malformed one is refused, not ignored. */
function clientIdHeader(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = ClientIdHeaderSchema.safeParse(value);
  if (!parsed.success) throw badRequest(errorText('http.clientIdInvalid'));
  return parsed.data;
}

export function registerDocumentRoutes(router: Router, deps: ServerDeps, options: DocumentRouteOptions = {}): void {
  const feed = changeFeedFor(deps.db);
  const documents = new DocumentService(deps, feed);
  const fonts = options.fonts ?? fontOverridesFromEnv(process.env);
  const pdfs = new DocumentPdfService(deps, documents, { fonts, ...(options.verifier ? { verifier: options.verifier } : {}) });
  const sheets = new OpinionSheetService(deps, documents, { fonts });
  const coDrafters = new CoDrafterService(deps, documents, feed);
  const maxVoiceBytes = options.maxVoiceBytes ?? maxVoiceBytesFromEnv(process.env);
  const sealUploads = deps.metrics.counter('xietong_document_seal_uploads_total', 'Sealed PDF uploads by result (accepted, repeated, refused).');
  const stagingDir = prepareStagingDir(deps.dataDir);
  const slots = new UploadSlots(options.uploadsPerPerson ?? 2);

  // Registered before `/api/documents/:id` so `changes` is never taken for an id.
  router.get('/api/documents/changes', async (ctx) => {
    const query = ctx.parseQuery(ChangesQuerySchema);
    return ok(await feed.wait(ctx.user, await documents.actorFor(ctx.user), query.since, query.wait * 1000));
  });
  router.post('/api/documents', async (ctx) => {
    // 201 when this request created it, 200 for a repeat (an outbox resending a draft made offline).
    const { view, repeated } = await documents.createOnce(ctx.user, await ctx.json(CreateDocumentRequestSchema));
    return repeated ? ok(view) : created(view);
  });
  router.get('/api/documents', async (ctx) => ok(await documents.list(ctx.user, ctx.parseQuery(DocumentListQuerySchema))));
  router.get('/api/documents/:id', async (ctx) => ok(await documents.get(ctx.user, idParam(ctx.params))));
  router.patch('/api/documents/:id', async (ctx) => ok(await documents.update(ctx.user, idParam(ctx.params), await ctx.json(UpdateDocumentRequestSchema))));
  // Handwriting travels inside the action: room for MAX_INK_POINTS points (the service refuses more).
  router.post(
    '/api/documents/:id/actions',
    async (ctx) => {
      const id = idParam(ctx.params);
      const request = await ctx.json(DocumentActionRequestSchema);
      // A signed approval is verified before the step's transaction (slow), its digests inside it.
      const approval = request.approvalSignature ? await verifyApprovalUpload(deps, ctx.user, await documents.readable(ctx.user, id), request) : undefined;
      const view = await documents.act(ctx.user, id, request, approval);
      if (view.state === 'archived') {
        // 归档 keeps the 处理笺 with the document. Should this fail, the first reader stores it instead.
        const doc = await loadDocument(deps.db, id);
        if (doc) await sheets.archive(doc).catch((error: unknown) => deps.log.warn('sheet not archived', { documentId: id, error: String(error) }));
      }
      return ok(view);
    },
    { maxBodyBytes: MAX_ACTION_BYTES },
  );
  // 批量签批: the digests the approval record must name, for a document the caller may approve now.
  router.get('/api/documents/:id/approval-basis', async (ctx) => {
    const doc = await documents.readable(ctx.user, idParam(ctx.params));
    const allowed = mayTake(doc.workflow, await documents.actorFor(ctx.user), 'approve');
    if (!allowed.ok) throw forbidden(allowed.text);
    return ok(await approvalBasis(deps.loadRoomUpdates, doc));
  });
  router.put('/api/documents/:id/co-drafters', async (ctx) => ok(await coDrafters.set(ctx.user, idParam(ctx.params), (await ctx.json(SetCoDraftersRequestSchema)).userIds)));
  router.get('/api/documents/:id/audit', async (ctx) => ok(await documents.audit(ctx.user, idParam(ctx.params))));

  router.get('/api/documents/:id/pdf', async (ctx): Promise<Reply> => {
    const pdf = await pdfs.get(ctx.user, idParam(ctx.params));
    const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-document-signed': pdf.signed ? '1' : '0' };
    if (pdf.seal) headers['x-seal-placement'] = JSON.stringify(pdf.seal);
    return { status: 200, body: pdf.bytes, contentType: 'application/pdf', headers };
  });
  router.get('/api/documents/:id/sheet', async (ctx): Promise<Reply> => {
    const bytes = await sheets.get(ctx.user, idParam(ctx.params));
    return { status: 200, body: bytes, contentType: 'application/pdf', headers: { 'cache-control': 'no-store' } };
  });
  router.put(
    '/api/documents/:id/pdf',
    async (ctx) => {
      const id = idParam(ctx.params);
      if (!String(ctx.req.headers['content-type'] ?? '').toLowerCase().startsWith('application/pdf')) throw new HttpError('unsupported_media_type', errorText('http.pdfRequired'));
      const clientId = clientIdHeader(ctx.req.headers['x-client-id']);
      // Rights first, then a slot, then the body: a refused upload is answered before it is read.
      await pdfs.checkUpload(ctx.user, id, clientId);
      const release = slots.acquire(ctx.user.id);
      try {
        const staged = await stageUpload(ctx.req, { dir: stagingDir, maxBytes: MAX_PDF_BYTES });
        try {
          const { doc, repeated } = await pdfs.upload(ctx.user, id, await staged.read(), clientId);
          sealUploads.inc({ result: repeated ? 'repeated' : 'accepted' });
          if (!repeated) feed.notify();
          return ok(await documents.view(ctx.user, doc));
        } catch (error) {
          sealUploads.inc({ result: 'refused' });
          throw error;
        } finally {
          await staged.discard();
        }
      } finally {
        release();
      }
    },
    { maxBodyBytes: MAX_PDF_BYTES },
  );

  router.post(
    '/api/documents/:id/attachments',
    async (ctx) => {
      const { name } = ctx.parseQuery(AttachmentUploadQuerySchema);
      const id = idParam(ctx.params);
      await documents.checkAttachmentUpload(ctx.user, id, name);
      const release = slots.acquire(ctx.user.id);
      try {
        const staged = await stageUpload(ctx.req, { dir: stagingDir, maxBytes: MAX_ATTACHMENT_BYTES });
        try {
          return created(await documents.addAttachment(ctx.user, id, name, await staged.read(), { sha256: staged.sha256, clientId: clientIdHeader(ctx.req.headers['x-client-id']) }));
        } finally {
          await staged.discard();
        }
      } finally {
        release();
      }
    },
    { maxBodyBytes: MAX_ATTACHMENT_BYTES },
  );
  router.get('/api/documents/:id/attachments/:sha256', async (ctx): Promise<Reply> => {
    const file = await documents.attachment(ctx.user, idParam(ctx.params), sha256Param(ctx.params));
    // RFC 6266 / 5987: the Chinese file name travels percent-encoded; the ASCII fallback is generic.
    const disposition = `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(file.name)}`;
    return { status: 200, body: file.bytes, contentType: 'application/octet-stream', headers: { 'content-disposition': disposition, 'cache-control': 'no-store' } };
  });
  router.delete('/api/documents/:id/attachments/:sha256', async (ctx) => ok(await documents.removeAttachment(ctx.user, idParam(ctx.params), sha256Param(ctx.params))));

  // 语音签批: the recording goes up first (by its digest), then the action that cites it.
  router.put(
    '/api/documents/:id/voice/:sha256',
    async (ctx): Promise<Reply> => {
      const id = idParam(ctx.params);
      const sha256 = sha256Param(ctx.params);
      const type = VoiceMimeTypeSchema.safeParse(ctx.req.headers['content-type'] ?? '');
      const issue = type.success ? undefined : type.error.issues[0]?.message;
      if (!type.success) throw new HttpError('unsupported_media_type', issue ? textOfWording(issue) : errorText('voice.formatUnsupported'));
      await documents.checkVoiceUpload(ctx.user, id, sha256);
      const release = slots.acquire(ctx.user.id);
      try {
        let bytes: Buffer;
        try {
          bytes = await ctx.body({ maxBytes: maxVoiceBytes });
        } catch (error) {
          if (error instanceof HttpError && error.code === 'payload_too_large') throw new HttpError('payload_too_large', errorText('voice.tooLarge', { mb: (maxVoiceBytes / 1024 / 1024).toFixed(1) }));
          throw error;
        }
        const { repeated, ...stored } = await documents.addVoiceNote(ctx.user, id, sha256, type.data, bytes);
        return repeated ? ok(stored) : created(stored);
      } finally {
        release();
      }
    },
    { maxBodyBytes: maxVoiceBytes },
  );
  router.get('/api/documents/:id/voice/:sha256', async (ctx): Promise<Reply> => {
    const note = await documents.voiceNote(ctx.user, idParam(ctx.params), sha256Param(ctx.params));
    return { status: 200, body: note.bytes, contentType: note.mimeType, headers: { 'cache-control': 'no-store' } };
  });

  router.post('/api/delegations', async (ctx) => {
    const input = await ctx.json(CreateDelegationRequestSchema);
    return created(await documents.delegate(ctx.user, input.to, new Date(input.until)));
  });
  router.get('/api/delegations', async (ctx) => ok(await documents.delegations(ctx.user)));
  router.delete('/api/delegations/:id', async (ctx) => {
    await documents.revokeDelegation(ctx.user, idParam(ctx.params));
    return noContent();
  });

  // The body of a document is room `doc:<id>`: its readers may watch it; only its current holder
  // (and, at 拟稿, its 协同拟稿人) may write, and only while the text may still change. Decided at
  // connect time and again at every step change and every change of the co-drafters (both hold the
  // room and have its connections re-decided).
  deps.rooms.register('doc', async (user, id) => {
    const doc = await loadDocument(deps.db, id);
    if (!doc) return 'none';
    const actor = await documents.actorFor(user);
    const people = [actor, ...(actor.delegators ?? [])];
    if (!people.some((p) => canReadDocument(doc.workflow, p))) return 'none';
    const coDrafterIds = doc.workflow.state === 'draft' ? await coDraftersOf(deps.db, id) : [];
    return mayEditBody(doc.workflow, people.map((p) => p.id), coDrafterIds) ? 'write' : 'read';
  });
}
