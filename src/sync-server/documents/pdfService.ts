/**
 * A document's PDF: rendered per GB/T 9704 from its fields, frozen once numbered (what the seal
 * signs must never change under it), and replaced only by an upload that appends valid signatures
 * by the person entitled to seal.
 */
import { blocksFromPlainText, bodyMayChange, bodyPlainText, chinaDateOf, FontRoleSchema, formatDocNumber, mayTake, type FontOverrides } from '../../shared/domain/documents';
import type { AccountUser } from '../../shared/http/auth';
import { verifyPdf, type PdfVerification } from '../../signing';
import { resolveCjkFont } from '../../signing/fonts';
import { renderOfficialDocument, type SealPlacement } from '../../signing/render';
import { appendAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import { forbidden, HttpError } from '../http/errors';
import type { Queryable } from '../store/database';
import { recordSealUse, sealEntitlement } from '../seals/registry';
import { getBlob, loadDocument, putBlob, saveDocument, sha256Hex, type StoredDocument } from './repository';
import { readBodySnapshot } from './bodySnapshot';
import { storedCrls } from '../exchange/crlStore';
import { readRoomStructure } from './roomBody';
import type { DocumentService } from './service';
import { assertSealingApproved } from './approvalSignatures';
import { errorText, type ErrorText } from '../../shared/errors';

/** Verifies a PDF's signatures against trusted roots (SIGNING's `verifyPdf` by default; tests may pass another). */
export type PdfVerifier = (pdf: Uint8Array, trustedRootsPem: string[], crlsPem?: string[]) => Promise<PdfVerification>;

export const defaultPdfVerifier: PdfVerifier = (pdf, roots, crls) => verifyPdf(pdf, { trustedRoots: roots, ...(crls && crls.length > 0 ? { crls } : {}) });

/**
 * Official fonts for the server's renderer from the environment: `XIETONG_FONT_FANGSONG`,
 * `XIETONG_FONT_XIAOBIAOSONG`, `XIETONG_FONT_KAITI`, `XIETONG_FONT_HEITI`, `XIETONG_FONT_SONG`, each a
 * path (a collection may add `#Face`). Each one is checked now, so a wrong path stops the server at
 * start with a clear message instead of failing on the first document.
 */
export function fontOverridesFromEnv(env: Readonly<Record<string, string | undefined>>): FontOverrides {
  const overrides: FontOverrides = {};
  for (const role of FontRoleSchema.options) {
    const value = env[`XIETONG_FONT_${role.toUpperCase()}`]?.trim();
    if (!value) continue;
    overrides[role] = value;
    resolveCjkFont(role, overrides);
  }
  return overrides;
}

/** After 编号 the text and number are final: the PDF is stored and what is signed is that. */
const frozenStates = new Set(['sealing', 'dispatching', 'dispatched', 'archived']);

export const MAX_PDF_BYTES = 50 * 1024 * 1024;

export interface PdfResult {
  readonly bytes: Buffer;
  readonly seal?: SealPlacement;
  readonly signed: boolean;
}

const rejected = (text: string | ErrorText) => new HttpError('rejected', text);

/** What an upload did: `repeated` when it was one already accepted, sent again (nothing changed). */
export interface UploadResult {
  readonly doc: StoredDocument;
  readonly repeated: boolean;
}

/**
 * Whether `upload` is an upload of this document already accepted: the same outbox command (its
 * client id, recorded for this person) or the very bytes now stored as the sealed PDF.
 */
async function alreadyAccepted(db: Queryable, doc: StoredDocument, upload: Buffer, userId: string, clientId: string | undefined): Promise<boolean> {
  if (doc.workflow.kind === 'outgoing' && doc.workflow.sealedPdfSha256 === sha256Hex(upload)) return true;
  if (!clientId) return false;
  return !!(await db.get('SELECT 1 AS seen FROM document_action_ids WHERE document_id = ? AND client_id = ? AND user_id = ?', [doc.id, clientId, userId]));
}

export class DocumentPdfService {
  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now' | 'loadRoomUpdates'>,
    private readonly documents: DocumentService,
    private readonly options: { verifier?: PdfVerifier; fonts?: FontOverrides } = {},
  ) {}

  private async render(doc: StoredDocument): Promise<{ bytes: Buffer; seal?: SealPlacement }> {
    // Past 签发 (拟办 for 收文) the body is the one approved then, never the live room (issue 15).
    // Before, the collaborative editor's body is the body when it has any text; the `body` field otherwise.
    const approved = bodyMayChange(doc.workflow.state) ? undefined : await readBodySnapshot(this.deps.db, doc.id);
    const bodyBlocks = approved ? approved.blocks : ((await readRoomStructure(this.deps.loadRoomUpdates, doc.id)) ?? blocksFromPlainText(doc.fields.body));
    const body = approved ? approved.body : bodyPlainText(bodyBlocks);
    // 成文日期: the date set on the document, else the day it was signed off (签发), as GB/T 9704 says.
    const signedOffAt = doc.workflow.signedOffBy?.at;
    const writtenDate = doc.fields.writtenDate ?? (signedOffAt ? chinaDateOf(signedOffAt) : undefined);
    const fields = {
      ...doc.fields,
      body,
      bodyBlocks,
      ...(writtenDate ? { writtenDate } : {}),
      ...(doc.workflow.docNumber ? { docNumber: doc.workflow.docNumber } : {}),
    };
    const sealed = doc.workflow.kind === 'outgoing';
    const rendered = await renderOfficialDocument(fields, { sealed, ...(this.options.fonts ? { fonts: this.options.fonts } : {}) });
    return { bytes: Buffer.from(rendered.pdf), ...(rendered.seal ? { seal: rendered.seal } : {}) };
  }

  /** The stored PDF of a document, rendering and freezing it first when the document is numbered. */
  private async stored(doc: StoredDocument): Promise<PdfResult | undefined> {
    const row = await this.deps.db.get<{ current_sha256: string; seal_placement: string | null; signed: number }>(
      'SELECT current_sha256, seal_placement, signed FROM document_pdfs WHERE document_id = ?',
      [doc.id],
    );
    if (row) {
      const bytes = await getBlob(this.deps.db, row.current_sha256);
      if (!bytes) throw new Error(`PDF blob missing for document ${doc.id}`);
      return { bytes, signed: Number(row.signed) === 1, ...(row.seal_placement ? { seal: JSON.parse(row.seal_placement) as SealPlacement } : {}) };
    }
    if (doc.workflow.kind !== 'outgoing' || !frozenStates.has(doc.workflow.state)) return undefined;
    // Render outside the transaction (slow), then store unless someone else stored one first.
    const rendered = await this.render(doc);
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const sha = await putBlob(tx, rendered.bytes, now);
      await tx.run(
        'INSERT INTO document_pdfs (document_id, base_sha256, current_sha256, seal_placement, signed, updated_at) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (document_id) DO NOTHING',
        [doc.id, sha, sha, rendered.seal ? JSON.stringify(rendered.seal) : null, now],
      );
    });
    return this.stored(doc);
  }

  /** GET /api/documents/:id/pdf: the current PDF with every signature so far (a live preview before 编号). */
  async get(user: AccountUser, id: string): Promise<PdfResult> {
    const doc = await this.documents.readable(user, id);
    await this.documents.auditAccess(user, doc, 'pdf');
    return (await this.stored(doc)) ?? { ...(await this.render(doc)), signed: false };
  }

  /**
   * Whether the caller may upload a sealed PDF of this document at all, decided before the body is
   * read (issue 15): a reader of it who holds 用印 now, or who resends an upload already accepted
   * (the outbox's `clientId`, or the person who sealed it). Everything that needs the bytes is
   * checked by `upload`.
   */
  async checkUpload(user: AccountUser, id: string, clientId?: string): Promise<void> {
    const doc = await this.documents.readable(user, id);
    if (clientId && (await this.deps.db.get('SELECT 1 AS seen FROM document_action_ids WHERE document_id = ? AND client_id = ? AND user_id = ?', [id, clientId, user.id]))) return;
    if (doc.workflow.state === 'sealing') {
      const entitled = mayTake(doc.workflow, await this.documents.actorFor(user), 'seal');
      if (!entitled.ok) throw forbidden(entitled.text);
      return;
    }
    if (doc.workflow.sealedPdfSha256 && (await this.deps.db.get("SELECT 1 AS sealed FROM audit_entries WHERE document_id = ? AND actor_id = ? AND action = 'pdf.seal'", [id, user.id]))) return;
    throw forbidden(errorText('sealing.uploadOnlyAtSeal'));
  }

  /**
   * PUT /api/documents/:id/pdf: the holder of 用印 uploads the frozen PDF with their seal appended
   * as an incremental update. Refused (422) unless the upload starts with exactly the stored bytes,
   * every signature verifies against the trusted roots, and the new signature is the holder's own.
   *
   * An upload already accepted and sent again (the outbox after a crash or a lost response; same
   * `clientId`, or byte-identical to the stored sealed PDF) is answered as a success with the
   * document as it is, adding no second 用印记录 or audit entry — even when the document has
   * meanwhile left 用印, which is why this is checked first.
   */
  async upload(user: AccountUser, id: string, upload: Buffer, clientId?: string): Promise<UploadResult> {
    const doc = await this.documents.readable(user, id);
    if (await alreadyAccepted(this.deps.db, doc, upload, user.id, clientId)) return { doc, repeated: true };
    if (doc.workflow.state !== 'sealing') throw forbidden(errorText('sealing.uploadOnlyAtSeal'));
    const actor = await this.documents.actorFor(user);
    const entitled = mayTake(doc.workflow, actor, 'seal');
    if (!entitled.ok) throw forbidden(entitled.text);
    await assertSealingApproved(this.deps.db, this.deps.loadRoomUpdates, doc);
    const current = await this.stored(doc);
    if (!current) throw new Error('frozen PDF missing');
    if (upload.length <= current.bytes.length || !upload.subarray(0, current.bytes.length).equals(current.bytes)) {
      throw rejected(errorText('sealing.notAppended'));
    }
    const roots = (await this.deps.accounts.trustedRoots()).map((r) => r.pem);
    if (roots.length === 0) throw rejected(errorText('sealing.noTrustedRoots'));
    const verifier = this.options.verifier ?? defaultPdfVerifier;
    let verification: PdfVerification;
    try {
      // The CRLs loaded into the server (issue 20): a revoked certificate seals nothing.
      verification = await verifier(upload, roots, (await storedCrls(this.deps.db)).map((c) => c.pem));
    } catch (error) {
      throw rejected(errorText('sealing.cannotVerify', { reason: error instanceof Error ? error.message : String(error) }));
    }
    if (!verification.ok) {
      const failing = verification.signatures.flatMap((s) =>
        (Object.values(s.checks) as Array<{ ok: boolean; detail: string } | undefined>).filter((c): c is { ok: boolean; detail: string } => !!c && !c.ok),
      );
      // The checks' details are the signing library's English; a file with no signature has none.
      throw rejected(failing.length > 0 ? errorText('sealing.verifyFailed', { reason: failing.map((c) => c.detail).join('；') }) : errorText('sealing.noSignature'));
    }
    const fresh = verification.signatures.filter((s) => s.revisionLength > current.bytes.length);
    const unitName = (await this.deps.accounts.listUnits()).find((u) => u.id === doc.workflow.unitId)?.name ?? '';
    const as = entitled.as;
    // Entitlement: the new signature must be by the sealing holder — or the delegate acting for
    // them, with their own certificate — and the certificate must be of this unit.
    const names = new Set([as.name, user.name]);
    const own = fresh.find((s) => names.has(s.signerName ?? '') && (s.signerSubject ?? '').includes(unitName));
    if (!own) {
      // A delegate seals for the holder: either's certificate would do, and the refusal names both.
      const [name = '', other] = [...names];
      throw rejected(other === undefined ? errorText('sealing.certificateNotSigner', { names: name, unitName }) : errorText('sealing.certificateNotEither', { name, other, unitName }));
    }
    const now = this.deps.now();
    // Seal registry (src/sync-server/seals): where the unit has seals, the certificate must be bound
    // to an active seal of the unit that the uploader was granted.
    const seal = await sealEntitlement(this.deps.db, { unitId: doc.workflow.unitId, userId: user.id, signerSerialHex: own.signerSerialHex, at: now });
    if (seal.kind === 'refused') throw rejected(seal.reason);
    const next: StoredDocument = { ...doc, workflow: { ...doc.workflow, version: doc.workflow.version + 1 }, updatedAt: now };
    try {
      await this.deps.db.transaction(async (tx) => {
        const sha = await putBlob(tx, upload, now);
        next.workflow.sealedPdfSha256 = sha;
        await tx.run('UPDATE document_pdfs SET current_sha256 = ?, signed = 1, updated_at = ? WHERE document_id = ?', [sha, now, id]);
        await saveDocument(tx, next, doc.workflow.version);
        await appendAudit(tx, {
          documentId: id,
          at: now,
          actorId: user.id,
          actorName: user.name,
          action: 'pdf.seal',
          payload: {
            sha256: sha,
            signatures: fresh.map((s) => ({ signer: s.signerName, serial: s.signerSerialHex, digest: s.signatureDigest })),
            ...(as.id !== user.id ? { onBehalfOf: as.id } : {}),
          },
        });
        if (seal.kind === 'entitled') {
          const signedAt = Date.parse(own.timestampTime ?? own.claimedSigningTime ?? '');
          await recordSealUse(tx, {
            sealId: seal.seal.id,
            documentId: id,
            documentTitle: doc.fields.title,
            docNumber: doc.workflow.docNumber ? formatDocNumber(doc.workflow.docNumber) : undefined,
            user: { id: user.id, name: user.name },
            at: now,
            signedAt: Number.isFinite(signedAt) ? signedAt : undefined,
            signerSerialHex: own.signerSerialHex ?? '',
            signatureDigest: own.signatureDigest ?? '',
            reason: own.reason,
          });
        }
        // Kept with the workflow actions' ids: one outbox command, one client id, applied once.
        if (clientId) await tx.run('INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)', [id, clientId, user.id, now]);
      });
    } catch (error) {
      // Two copies of one upload racing: the second loses on the document version; it was accepted.
      const latest = await loadDocument(this.deps.db, id);
      if (latest && (await alreadyAccepted(this.deps.db, latest, upload, user.id, clientId))) return { doc: latest, repeated: true };
      throw error;
    }
    return { doc: next, repeated: false };
  }
}
