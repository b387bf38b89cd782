/**
 * The documents authority: creates documents, applies workflow actions under the rules of the shared
 * state machine, keeps the to-do and done indexes, numbers, stores and verifies PDFs, dispatches to
 * other units, and writes every event to the audit chain in the same transaction as the change.
 *
 * Trust boundary: every request here comes from a person the router authenticated; everything
 * about what they may do is decided here from the stored document and the directory, never from
 * what the client claims.
 */
import { randomUUID } from 'node:crypto';
import {
  actionRecipients,
  actionsWithRecipients,
  applyAction,
  availableActions,
  bodyEditableStates,
  canReadDocument,
  DocumentFieldsSchema,
  mayTake,
  startIncoming,
  startWorkflow,
  workflowStateLabels,
  workingStates,
  type Actor,
  type DocumentFields,
  type Participant,
  type WorkflowState,
} from '../../shared/domain/documents';
import { countInkPoints, MAX_INK_POINTS } from '../../shared/domain/documents/inkOutline';
import { lastPassedDueDay } from '../../shared/domain/exchange';
import type { AccountUser } from '../../shared/http/auth';
import type {
  CreateDocumentRequest,
  Delegation,
  DocumentActionRequest,
  DocumentListItem,
  DocumentListQuery,
  DocumentListResponse,
  DocumentView,
  ExchangeReceipt,
  UpdateDocumentRequest,
} from '../../shared/http/documents';
import { appendAudit, readAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import type { Counter } from '../metrics';
import type { ChangeFeed } from './changeFeed';
import type { ZodError } from 'zod';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../http/errors';
import type { Queryable } from '../store/database';
import { recordBodyTransition } from './bodySnapshot';
import { checkDispatchSeal } from '../exchange/verification';
import { serverCalendar } from './overdueReminders';
import { recordBodyVersion } from './revisionVersions';
import { approvalStatus, assertSealingApproved, storeApproval, type VerifiedApproval } from './approvalSignatures';
import { coDraftedBy, coDraftersOf } from './coDrafters';
import { getBlob, insertDocument, loadDocument, markActed, nextChangeSeq, nextSerial, printedNumber, putBlob, saveDocument, sha256Hex, type StoredDocument } from './repository';
import { errorText, textOfWording, type ErrorText } from '../../shared/errors';

/** The working steps (shared `workingStates`) as SQL parameters for the 催办 filter. */
const overdueStates = [...workingStates];

const iso = (ms: number): string => new Date(ms).toISOString();

/** States in which the text may still change (before 签发 completes, or before 收文 is proposed on). */
const editableStates: ReadonlySet<WorkflowState> = bodyEditableStates;

export class DocumentService {
  private readonly actions: Counter | undefined;

  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now' | 'log' | 'rooms' | 'loadRoomUpdates' | 'exchange'> & Partial<Pick<ServerDeps, 'metrics'>>,
    private readonly feed?: ChangeFeed,
  ) {
    this.actions = deps.metrics?.counter('xietong_document_actions_total', 'Workflow actions by action and result (applied, forbidden, stale, invalid).');
  }

  // ── people ──────────────────────────────────────────────────────────────

  /** The directory entry of a user id as a workflow participant, or undefined. */
  async participant(userId: string): Promise<Participant | undefined> {
    const user = await this.deps.accounts.userById(userId);
    return user ? toParticipant(user) : undefined;
  }

  /** The caller plus everyone who has delegated to them and whose delegation still runs (委托). */
  async actorFor(user: AccountUser): Promise<Actor> {
    const rows = await this.deps.db.all<{ from_user: string }>('SELECT from_user FROM delegations WHERE to_user = ? AND revoked = 0 AND until > ?', [user.id, this.deps.now()]);
    const delegators: Participant[] = [];
    for (const row of rows) {
      const p = await this.participant(row.from_user);
      if (p && !delegators.some((d) => d.id === p.id)) delegators.push(p);
    }
    return { ...toParticipant(user), delegators };
  }

  private async resolvePeople(ids: readonly string[] | undefined): Promise<Participant[] | undefined> {
    if (!ids) return undefined;
    const people: Participant[] = [];
    for (const id of ids) {
      const p = await this.participant(id);
      if (!p) throw badRequest(errorText('directory.userIdNotFound', { id }));
      people.push(p);
    }
    return people;
  }

  /** The enabled people of a unit, in directory order: whom its documents' steps may go to. */
  private async unitPeople(unitId: string): Promise<Participant[]> {
    const users = await this.deps.accounts.listUsers(unitId);
    return users.map((u) => ({ id: u.id, name: u.name, unitId: u.unitId, roles: u.roles }));
  }

  private async unitsById(): Promise<Map<string, { id: string; name: string; organCode: string }>> {
    const units = await this.deps.accounts.listUnits();
    return new Map(units.map((u) => [u.id, { id: u.id, name: u.name, organCode: u.organCode }]));
  }

  // ── reading ─────────────────────────────────────────────────────────────

  /** Loads a document the caller may read: 404 when it does not exist, 403 when they may not. */
  async readable(user: AccountUser, id: string): Promise<StoredDocument> {
    return (await this.readableAs(user, id)).doc;
  }

  /** `readable`, also answering who the caller acts as (one directory lookup serves the whole request). */
  private async readableAs(user: AccountUser, id: string): Promise<{ doc: StoredDocument; actor: Actor }> {
    const doc = await loadDocument(this.deps.db, id);
    if (!doc) throw notFound(errorText('documents.notFound'));
    const actor = await this.actorFor(user);
    const allowed = [actor, ...(actor.delegators ?? [])].some((p) => canReadDocument(doc.workflow, p));
    if (!allowed) throw forbidden(errorText('documents.readForbidden'));
    return { doc, actor };
  }

  /** GET /api/documents/:id — reading a classified document is itself audited. */
  async get(user: AccountUser, id: string): Promise<DocumentView> {
    const doc = await this.readable(user, id);
    await this.auditAccess(user, doc, 'view');
    return this.view(user, doc);
  }

  /** Appends an `access` entry for 密级 documents (条例: access to classified documents is recorded). */
  async auditAccess(user: AccountUser, doc: StoredDocument, what: string): Promise<void> {
    if (doc.fields.secrecy.level === 'none') return;
    await this.deps.db.transaction((tx) =>
      appendAudit(tx, { documentId: doc.id, at: this.deps.now(), actorId: user.id, actorName: user.name, action: 'access', payload: { what } }),
    );
  }

  /** The actions `actor` may take, each that hands the document on with whom it may go to. */
  private async actionsWithRecipients(doc: StoredDocument, actor: Actor, unitPeople?: Participant[]): Promise<DocumentView['availableActions']> {
    const actions = availableActions(doc.workflow, actor);
    if (actions.length === 0) return actions;
    // The unit's people matter only to actions that hand the document to someone (whether an action
    // does depends on the action and the step, not on the people: asked with nobody). A sender's
    // view after 提交 offers 撤回 and 催办 only, and needs no directory read.
    if (!unitPeople && actions.every((a) => actionRecipients(doc.workflow, actor, a.action, []) === undefined)) return actionsWithRecipients(doc.workflow, actor, [], actions);
    const people = unitPeople ?? (await this.unitPeople(doc.workflow.unitId));
    return actionsWithRecipients(doc.workflow, actor, people, actions);
  }

  /**
   * The document as `user` sees it. `known` passes what the caller already looked up in this request
   * (who the user acts as, the people of the document's unit, the people an action named), so an
   * action answers without asking the directory again.
   */
  async view(user: AccountUser, doc: StoredDocument, known: { actor?: Actor; unitPeople?: Participant[]; named?: readonly Participant[] } = {}): Promise<DocumentView> {
    const actor = known.actor ?? (await this.actorFor(user));
    const names: string[] = [];
    for (const id of doc.workflow.holders) {
      const person = known.named?.find((p) => p.id === id) ?? known.unitPeople?.find((p) => p.id === id) ?? (await this.participant(id));
      names.push(person?.name ?? id);
    }
    const receipts = await this.receipts(doc.id);
    const number = printedNumber(doc);
    const coDrafters: Array<{ id: string; name: string }> = [];
    for (const id of doc.workflow.kind === 'outgoing' ? await coDraftersOf(this.deps.db, doc.id) : []) coDrafters.push({ id, name: (await this.participant(id))?.name ?? id });
    return {
      id: doc.id,
      kind: doc.workflow.kind,
      type: doc.fields.type,
      title: doc.fields.title,
      state: doc.workflow.state,
      stateLabel: workflowStateLabels[doc.workflow.state],
      version: doc.workflow.version,
      unitId: doc.workflow.unitId,
      drafterId: doc.workflow.drafterId,
      ...(number ? { docNumber: number } : {}),
      holders: doc.workflow.holders,
      holderNames: names,
      answered: doc.workflow.answered,
      availableActions: await this.actionsWithRecipients(doc, actor, known.unitPeople),
      history: doc.workflow.history,
      readers: doc.workflow.readers,
      fields: doc.fields,
      ...(doc.workflow.signedOffBy ? { signedOffBy: doc.workflow.signedOffBy } : {}),
      sealed: doc.workflow.sealedPdfSha256 !== undefined,
      ...(doc.workflow.dispatchedTo ? { dispatchedTo: doc.workflow.dispatchedTo } : {}),
      receipts,
      ...(doc.sourceExchangeId ? { sourceExchangeId: doc.sourceExchangeId } : {}),
      ...(await this.approvalOf(doc)),
      ...(coDrafters.length > 0 ? { coDrafters } : {}),
      createdAt: iso(doc.createdAt),
      updatedAt: iso(doc.updatedAt),
    };
  }

  /** The leader's signed approval and whether the content is still the approved one (批量签批). */
  private async approvalOf(doc: StoredDocument): Promise<{ approval?: NonNullable<DocumentView['approval']> }> {
    const approval = await approvalStatus(this.deps.db, this.deps.loadRoomUpdates, doc);
    return approval ? { approval } : {};
  }

  private async receipts(documentId: string): Promise<ExchangeReceipt[]> {
    const rows = await this.deps.db.all<{
      id: string;
      to_unit_id: string;
      status: ExchangeReceipt['status'];
      handled_by: string | null;
      handled_by_name: string | null;
      handled_at: number | null;
      reason: string | null;
    }>('SELECT id, to_unit_id, status, handled_by, handled_by_name, handled_at, reason FROM exchange_items WHERE document_id = ? ORDER BY sent_at, id', [documentId]);
    if (rows.length === 0) return [];
    const units = await this.unitsById();
    return rows.map((r) => ({
      exchangeId: r.id,
      unitId: r.to_unit_id,
      unitName: units.get(r.to_unit_id)?.name ?? r.to_unit_id,
      status: r.status,
      ...(r.handled_by ? { handledBy: r.handled_by } : {}),
      ...(r.handled_by_name ? { handledByName: r.handled_by_name } : {}),
      ...(r.handled_at !== null ? { handledAt: iso(Number(r.handled_at)) } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
    }));
  }

  /** GET /api/documents?box=… — keyset paging on (updated_at, id), newest first. */
  async list(user: AccountUser, query: DocumentListQuery): Promise<DocumentListResponse> {
    const actor = await this.actorFor(user);
    const where: string[] = [];
    const params: Array<string | number> = [];
    switch (query.box) {
      case 'todo': {
        const ids = [actor.id, ...(actor.delegators ?? []).map((d) => d.id)];
        where.push(`d.id IN (SELECT document_id FROM document_todo WHERE user_id IN (${ids.map(() => '?').join(', ')}))`);
        params.push(...ids);
        break;
      }
      case 'done':
        where.push('d.id IN (SELECT document_id FROM document_acted WHERE user_id = ?)', 'd.id NOT IN (SELECT document_id FROM document_todo WHERE user_id = ?)');
        params.push(user.id, user.id);
        break;
      case 'drafts':
        // One's own drafts and those one co-drafts (协同拟稿人).
        where.push("d.state = 'draft'", `(d.created_by = ? OR ${coDraftedBy})`);
        params.push(user.id, user.id);
        break;
      case 'outgoing':
        // Colleagues' drafts are theirs until submitted (and their co-drafters').
        where.push("d.kind = 'outgoing'", 'd.unit_id = ?', `(d.state <> 'draft' OR d.created_by = ? OR ${coDraftedBy})`);
        params.push(user.unitId, user.id, user.id);
        break;
      case 'incoming':
        where.push("d.kind = 'incoming'", 'd.unit_id = ?');
        params.push(user.unitId);
        break;
    }
    if (query.q) {
      where.push("d.title LIKE ? ESCAPE '\\'");
      params.push(`%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    if (query.urgency) {
      where.push('d.urgency = ?');
      params.push(query.urgency);
    }
    if (query.type) {
      where.push('d.type = ?');
      params.push(query.type);
    }
    if (query.dueBy) {
      where.push('d.due_date IS NOT NULL', 'd.due_date <= ?');
      params.push(query.dueBy);
    }
    // The last 办理期限 day that has passed, in the server's working days (as the reminders count them).
    const passedDay = lastPassedDueDay(this.deps.now(), serverCalendar(this.deps));
    if (query.overdue) {
      // 催办: past the 办理期限 and on a working step (the shared rule, as each row's `overdue`).
      where.push('d.due_date IS NOT NULL', 'd.due_date <= ?', `d.state IN (${overdueStates.map(() => '?').join(', ')})`);
      params.push(passedDay, ...overdueStates);
    }
    if (query.cursor) {
      const cursor = decodeCursor(query.cursor);
      where.push('(d.updated_at < ? OR (d.updated_at = ? AND d.id < ?))');
      params.push(cursor.updatedAt, cursor.updatedAt, cursor.id);
    }
    const rows = await this.deps.db.all<{
      id: string;
      kind: 'outgoing' | 'incoming';
      type: DocumentListItem['type'];
      title: string;
      state: WorkflowState;
      doc_number: string | null;
      urgency: DocumentListItem['urgency'];
      secrecy_level: string;
      due_date: string | null;
      workflow: string;
      updated_at: number;
    }>(
      `SELECT d.id, d.kind, d.type, d.title, d.state, d.doc_number, d.urgency, d.secrecy_level, d.due_date, d.workflow, d.updated_at FROM documents d
       WHERE ${where.join(' AND ')} ORDER BY d.updated_at DESC, d.id DESC LIMIT ?`,
      [...params, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const items = page.map((r) => ({
      id: r.id,
      kind: r.kind,
      type: r.type,
      title: r.title,
      state: r.state,
      stateLabel: workflowStateLabels[r.state],
      ...(r.doc_number ? { docNumber: r.doc_number } : {}),
      urgency: r.urgency,
      secrecyLevel: r.secrecy_level,
      ...(r.due_date ? { dueDate: r.due_date } : {}),
      holders: (JSON.parse(r.workflow) as { holders: string[] }).holders,
      updatedAt: iso(Number(r.updated_at)),
      overdue: r.due_date !== null && r.due_date <= passedDay && workingStates.has(r.state),
    }));
    const last = page[page.length - 1];
    return { items, ...(rows.length > query.limit && last ? { next: encodeCursor(Number(last.updated_at), last.id) } : {}) };
  }

  // ── writing ─────────────────────────────────────────────────────────────

  /** POST /api/documents: anyone drafts a 发文; only clerks register a 收文 by hand (paper). */
  async create(user: AccountUser, input: CreateDocumentRequest): Promise<DocumentView> {
    return (await this.createOnce(user, input)).view;
  }

  /**
   * Creates a document — once. With a client-chosen `id` (a draft made offline, sent by the outbox
   * perhaps several times, across restarts of either side) the id itself is the idempotency key: a
   * repeat by the person who created it answers the document as it is now (`repeated`), anyone
   * else presenting a taken id gets 409 and learns nothing about it.
   */
  async createOnce(user: AccountUser, input: CreateDocumentRequest): Promise<{ view: DocumentView; repeated: boolean }> {
    const { kind, id: chosenId, clientId, ...rest } = input;
    if (chosenId) {
      const existing = await this.repeatOf(user, chosenId);
      if (existing) return { view: await this.view(user, existing), repeated: true };
    }
    const parsed = DocumentFieldsSchema.safeParse(rest);
    if (!parsed.success) throw badRequest(firstIssueText(parsed.error));
    if (kind === 'incoming' && !user.roles.includes('clerk')) throw forbidden(errorText('documents.registerClerkOnly'));
    const creator = toParticipant(user);
    const fields: DocumentFields = { ...parsed.data };
    if (kind === 'outgoing') {
      // The issuing organ and its code default to the author's unit; 发文字号 comes from 编号 only.
      const unit = (await this.unitsById()).get(user.unitId);
      if (!fields.issuingOrgan) fields.issuingOrgan = unit?.name ?? user.unitName;
      if (!fields.organCode) fields.organCode = unit?.organCode ?? '';
      delete fields.docNumber;
    }
    const workflow = kind === 'outgoing' ? startWorkflow('outgoing', creator) : startIncoming(creator, await this.unitPeople(user.unitId));
    const now = this.deps.now();
    const doc: StoredDocument = { id: chosenId ?? randomUUID(), fields, workflow, createdAt: now, updatedAt: now, sourceExchangeId: undefined };
    try {
      await this.deps.db.transaction(async (tx) => {
        await insertDocument(tx, doc);
        await markActed(tx, doc.id, user.id, now);
        await appendAudit(tx, {
          documentId: doc.id,
          at: now,
          actorId: user.id,
          actorName: user.name,
          action: 'create',
          payload: { kind, title: fields.title, type: fields.type, ...(chosenId ? { clientChosenId: true } : {}) },
        });
        if (clientId) await tx.run('INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)', [doc.id, clientId, user.id, now]);
      });
    } catch (error) {
      // Two copies of one creation racing: the loser's key violation becomes the winner's answer.
      const winner = chosenId ? await this.repeatOf(user, chosenId) : undefined;
      if (winner) return { view: await this.view(user, winner), repeated: true };
      throw error;
    }
    this.feed?.notify();
    return { view: await this.view(user, doc), repeated: false };
  }

  /** The document already created under `id` by `user`; 409 when the id belongs to something else. */
  private async repeatOf(user: AccountUser, id: string): Promise<StoredDocument | undefined> {
    const existing = await loadDocument(this.deps.db, id);
    if (!existing) return undefined;
    if (existing.workflow.drafterId !== user.id) throw conflict(errorText('documents.idTaken'));
    return existing;
  }

  /** A document the caller may change now: readable, still editable, and held by them (or for a delegator). */
  private async editable(user: AccountUser, id: string): Promise<StoredDocument> {
    const doc = await this.readable(user, id);
    const actor = await this.actorFor(user);
    if (!editableStates.has(doc.workflow.state)) throw forbidden(doc.workflow.state === 'archived' ? errorText('documents.lockedArchived') : errorText('documents.lockedAtStep', { step: workflowStateLabels[doc.workflow.state] }));
    const pending = doc.workflow.holders.filter((h) => !doc.workflow.answered.includes(h));
    if (![actor.id, ...(actor.delegators ?? []).map((d) => d.id)].some((h) => pending.includes(h))) throw forbidden(errorText('documents.holderOnlyEdit'));
    return doc;
  }

  /** Saves changed fields with a version check and an audit entry, then tells the change feed. */
  private async saveFields(user: AccountUser, doc: StoredDocument, fields: DocumentFields, action: string, payload: unknown, blob?: Buffer, clientId?: string): Promise<DocumentView> {
    const now = this.deps.now();
    const next: StoredDocument = { ...doc, fields, workflow: { ...doc.workflow, version: doc.workflow.version + 1 }, updatedAt: now };
    await this.deps.db.transaction(async (tx) => {
      if (blob) await putBlob(tx, blob, now);
      await saveDocument(tx, next, doc.workflow.version);
      await appendAudit(tx, { documentId: doc.id, at: now, actorId: user.id, actorName: user.name, action, payload });
      // Recorded with the change itself: the id is known exactly when the change committed.
      if (clientId) await tx.run('INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)', [doc.id, clientId, user.id, now]);
    });
    this.feed?.notify();
    return this.view(user, next);
  }

  /**
   * Everything `addAttachment` checks that does not need the file: whether the caller may add one
   * now, the name, the count. The route calls it before reading the body, so a refused upload costs
   * no memory and no disk (issue 15).
   */
  async checkAttachmentUpload(user: AccountUser, id: string, name: string): Promise<StoredDocument> {
    const doc = await this.editable(user, id);
    const clean = name.trim();
    if (!clean || clean.length > 120 || [...clean].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20)) throw badRequest(errorText('attachments.nameInvalid'));
    if (doc.fields.attachments.length >= 50) throw badRequest(errorText('attachments.tooMany'));
    return doc;
  }

  /**
   * POST /api/documents/:id/attachments?name=: the holder adds a file (附件) while the text may change.
   * `sha256`, when given, is the digest computed while the upload streamed in; `clientId` makes a
   * resend from the outbox harmless.
   */
  async addAttachment(user: AccountUser, id: string, name: string, bytes: Buffer, options: { sha256?: string; clientId?: string } = {}): Promise<DocumentView> {
    const { sha256 = sha256Hex(bytes), clientId } = options;
    // An outbox resend (same client id) is answered with the document as it is now, even when it
    // has moved on since: the first copy was applied, nothing happens twice.
    if (clientId && (await this.deps.db.get('SELECT user_id FROM document_action_ids WHERE document_id = ? AND client_id = ?', [id, clientId]))) {
      return this.view(user, await this.readable(user, id));
    }
    // Checked again with the body in hand: the document may have moved on while it arrived.
    const doc = await this.checkAttachmentUpload(user, id, name);
    const clean = name.trim();
    if (bytes.length === 0) throw badRequest(errorText('attachments.empty'));
    if (doc.fields.attachments.some((a) => a.sha256 === sha256)) throw conflict(errorText('attachments.duplicate'));
    const fields: DocumentFields = { ...doc.fields, attachments: [...doc.fields.attachments, { name: clean, sha256 }] };
    return this.saveFields(user, doc, fields, 'attachment.add', { name: clean, sha256, size: bytes.length }, bytes, clientId);
  }

  /** DELETE /api/documents/:id/attachments/:sha256 */
  async removeAttachment(user: AccountUser, id: string, sha256: string): Promise<DocumentView> {
    const doc = await this.editable(user, id);
    const removed = doc.fields.attachments.find((a) => a.sha256 === sha256);
    if (!removed) throw notFound(errorText('attachments.notFound'));
    const fields: DocumentFields = { ...doc.fields, attachments: doc.fields.attachments.filter((a) => a.sha256 !== sha256) };
    return this.saveFields(user, doc, fields, 'attachment.remove', { name: removed.name, sha256 });
  }

  /** GET /api/documents/:id/attachments/:sha256: only files that belong to a document the caller may read. */
  async attachment(user: AccountUser, id: string, sha256: string): Promise<{ name: string; bytes: Buffer }> {
    const doc = await this.readable(user, id);
    const entry = doc.fields.attachments.find((a) => a.sha256 === sha256);
    if (!entry) throw notFound(errorText('attachments.notFound'));
    await this.auditAccess(user, doc, `attachment:${entry.name}`);
    const bytes = await getBlob(this.deps.db, sha256);
    if (!bytes) throw notFound(errorText('attachments.fileMissing'));
    return { name: entry.name, bytes };
  }

  /**
   * PUT /api/documents/:id/voice/:sha256 (语音签批): stores a recording by its digest, bound to this
   * document. Only someone who may act on the document now may add one (they are about to cite it in
   * an action); sending the same recording again is a no-op answered like the first time, so an
   * outbox that resends after a lost answer or a crash mid-upload does no harm — even after the
   * action moved the document on.
   */
  /**
   * What `addVoiceNote` checks before the bytes: the caller may read the document and act on it now
   * (unless the recording is already bound to it: a resend). The route calls it before reading the
   * body, so a refused upload costs no memory (issue 15).
   */
  async checkVoiceUpload(user: AccountUser, id: string, sha256: string): Promise<void> {
    const doc = await this.readable(user, id);
    if (await this.deps.db.get('SELECT 1 AS one FROM document_voice_notes WHERE document_id = ? AND sha256 = ?', [id, sha256])) return;
    const actor = await this.actorFor(user);
    if (availableActions(doc.workflow, actor).length === 0) throw forbidden(errorText('voice.holderOnly'));
  }

  async addVoiceNote(user: AccountUser, id: string, sha256: string, mimeType: string, bytes: Buffer): Promise<{ sha256: string; mimeType: string; size: number; repeated: boolean }> {
    const doc = await this.readable(user, id);
    if (bytes.length === 0) throw badRequest(errorText('voice.emptyFile'));
    if (sha256Hex(bytes) !== sha256) throw badRequest(errorText('voice.digestMismatch'));
    const bound = await this.deps.db.get<{ mime_type: string }>('SELECT mime_type FROM document_voice_notes WHERE document_id = ? AND sha256 = ?', [id, sha256]);
    if (bound) return { sha256, mimeType: bound.mime_type, size: bytes.length, repeated: true };
    const actor = await this.actorFor(user);
    if (availableActions(doc.workflow, actor).length === 0) throw forbidden(errorText('voice.holderOnly'));
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      await putBlob(tx, bytes, now);
      await tx.run(
        'INSERT INTO document_voice_notes (document_id, sha256, mime_type, size, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, sha256) DO NOTHING',
        [id, sha256, mimeType, bytes.length, user.id, now],
      );
    });
    return { sha256, mimeType, size: bytes.length, repeated: false };
  }

  /** GET /api/documents/:id/voice/:sha256: a recording of this document, for anyone who may read it. */
  async voiceNote(user: AccountUser, id: string, sha256: string): Promise<{ mimeType: string; bytes: Buffer }> {
    const doc = await this.readable(user, id);
    const bound = await this.deps.db.get<{ mime_type: string }>('SELECT mime_type FROM document_voice_notes WHERE document_id = ? AND sha256 = ?', [id, sha256]);
    if (!bound) throw notFound(errorText('voice.notFound'));
    await this.auditAccess(user, doc, `voice:${sha256}`);
    const bytes = await getBlob(this.deps.db, sha256);
    if (!bytes) throw notFound(errorText('voice.fileMissing'));
    return { mimeType: bound.mime_type, bytes };
  }

  /** PATCH /api/documents/:id: the current holder edits the text while it may still change. */
  async update(user: AccountUser, id: string, patch: UpdateDocumentRequest): Promise<DocumentView> {
    const doc = await this.editable(user, id);
    const { version, ...changes } = patch;
    if (version !== undefined && version !== doc.workflow.version) throw conflict(errorText('documents.changedByOther'));
    if (doc.workflow.kind === 'outgoing' && changes.docNumber) throw badRequest(errorText('documents.numberByClerk'));
    // Attachments come and go through their own routes, which store the files.
    if (changes.attachments) throw badRequest(errorText('documents.attachmentsViaApi'));
    const merged = DocumentFieldsSchema.safeParse({ ...doc.fields, ...changes });
    if (!merged.success) throw badRequest(firstIssueText(merged.error));
    return this.saveFields(user, doc, merged.data, 'update', { fields: Object.keys(changes).sort() });
  }

  /**
   * POST /api/documents/:id/actions. Directory lookups happen before the transaction (on SQLite the
   * transaction holds the only connection); inside it the document is re-read, so the decision is
   * made on what is stored at commit time.
   */
  async act(user: AccountUser, id: string, body: DocumentActionRequest, approval?: VerifiedApproval): Promise<DocumentView> {
    if (body.opinion?.ink && countInkPoints(body.opinion.ink) > MAX_INK_POINTS)
      throw new HttpError('payload_too_large', errorText('documents.inkTooLong', { max: MAX_INK_POINTS }));
    const { doc: before, actor } = await this.readableAs(user, id);
    const unitId = before.workflow.unitId;
    let to = await this.resolvePeople(body.to);
    // The unit's people, read when nobody was chosen (for the defaults); the answer reuses them.
    let people: Participant[] | undefined;
    // The unit list only matters to 编号 (the organ code) and 分发 (the receiving units).
    const units = body.action === 'number' || body.action === 'dispatch' ? await this.unitsById() : new Map<string, { id: string; name: string; organCode: string }>();
    if (!to && !body.step) {
      // Nobody chosen: the default the client showed ticked (签发: the unit's clerks; 提交 in a unit
      // with one leader: that leader), from the same rule (shared actionRecipients).
      people = await this.unitPeople(unitId);
      const defaults = actionRecipients(before.workflow, actor, body.action, people)?.defaults ?? [];
      if (defaults.length > 0) to = people.filter((p) => defaults.includes(p.id));
    }
    let dispatchUnits = body.units;
    if (body.action === 'dispatch') {
      dispatchUnits ??= [...before.fields.mainRecipients, ...before.fields.ccRecipients].map((r) => r.unitId).filter((u): u is string => !!u);
      for (const u of dispatchUnits) if (!units.has(u)) throw badRequest(errorText('directory.unitNotFound', { unit: u }));
      // Issue 20: only a seal of the sending unit that verifies goes out (checked before the transaction: it is slow).
      if (mayTake(before.workflow, actor, 'dispatch').ok) await checkDispatchSeal(this.deps, id, units.get(unitId)?.name ?? '');
    }
    const now = this.deps.now();

    // Who may write the body changes with the step: the room's messages wait while the step is
    // decided, and every open connection to it is re-decided afterwards (on every instance).
    const result = await this.deps.rooms.changeAccess(`doc:${id}`, () => this.deps.db.transaction(async (tx) => {
      if (body.clientId) {
        const seen = await tx.get('SELECT user_id FROM document_action_ids WHERE document_id = ? AND client_id = ?', [id, body.clientId]);
        if (seen) return { repeated: true as const };
      }
      // Decided on what is stored at commit time. Every change to a document moves its version on
      // (saveDocument is a compare-and-set on it), so an unchanged version means the document read
      // above is still the stored one and need not be read and parsed again.
      const stored = await tx.get<{ version: number }>('SELECT version FROM documents WHERE id = ?', [id]);
      if (!stored) throw notFound(errorText('documents.notFound'));
      const doc = Number(stored.version) === before.workflow.version ? before : await loadDocument(tx, id);
      if (!doc) throw notFound(errorText('documents.notFound'));
      // A signed approval names the version it approved; 用印 seals only what was approved.
      if (approval && approval.record.version !== doc.workflow.version) throw conflict(errorText('approval.documentChanged'));
      if (body.action === 'seal') await assertSealingApproved(tx, this.deps.loadRoomUpdates, doc);
      const voice = body.opinion?.voice;
      if (voice) {
        // The recording must already be on the server for this document: the client uploads it
        // first (its outbox sends the upload before the action), so 流转记录 never cites a missing blob.
        const bound = await tx.get<{ mime_type: string }>('SELECT mime_type FROM document_voice_notes WHERE document_id = ? AND sha256 = ?', [id, voice.sha256]);
        if (!bound) throw new HttpError('rejected', errorText('voice.notUploaded'));
        if (bound.mime_type !== voice.mimeType) throw badRequest(errorText('voice.formatMismatch'));
      }
      let docNumber = doc.workflow.docNumber;
      if (body.action === 'number' && !docNumber) {
        // Draw the serial only for someone allowed to number; the draw rolls back with any failure.
        const allowed = mayTake(doc.workflow, actor, 'number');
        if (allowed.ok && (body.version === undefined || body.version === doc.workflow.version)) {
          const year = new Date(now).getFullYear();
          const organCode = doc.fields.organCode || units.get(unitId)?.organCode || '';
          if (!organCode) throw badRequest(errorText('documents.noOrganCode'));
          docNumber = { organCode, year, serial: await nextSerial(tx, unitId, year) };
        }
      }
      const applied = applyAction(
        doc.workflow,
        {
          action: body.action,
          ...(body.opinion?.text ? { opinion: body.opinion.text } : {}),
          ...(body.opinion?.ink ? { opinionInk: body.opinion.ink } : {}),
          ...(voice ? { opinionVoice: voice } : {}),
          ...(body.reason ? { reason: body.reason } : {}),
          ...(to ? { to } : {}),
          ...(dispatchUnits ? { units: dispatchUnits } : {}),
          ...(body.step ? { step: body.step } : {}),
          ...(docNumber ? { docNumber } : {}),
          ...(body.version !== undefined ? { expectedVersion: body.version } : {}),
        },
        actor,
        iso(now),
      );
      if (!applied.ok) {
        this.actions?.inc({ action: body.action, result: applied.code });
        if (applied.code === 'stale') throw conflict(applied.text);
        if (applied.code === 'forbidden') throw forbidden(applied.text);
        throw badRequest(applied.text);
      }
      const next: StoredDocument = { ...doc, workflow: applied.status, updatedAt: now };
      await saveDocument(tx, next, doc.workflow.version);
      // Sent back before 用印: the frozen PDF goes; it is rendered afresh (same number) when it returns.
      if (!next.workflow.sealedPdfSha256 && ['draft', 'review', 'countersign', 'signoff', 'numbering'].includes(next.workflow.state)) {
        await tx.run('DELETE FROM document_pdfs WHERE document_id = ?', [id]);
      }
      await markActed(tx, id, user.id, now);
      const entry = applied.status.history[applied.status.history.length - 1];
      // Leaving the steps where the text may change (签发, 拟办) fixes the approved body; its digest is audited.
      const approvedBody = await recordBodyTransition(tx, this.deps.loadRoomUpdates, doc, next.workflow.state, user.id, now);
      // 修订痕迹: a step that hands the body on closes a version of it (documents/revisionVersions.ts).
      if (next.workflow.state !== doc.workflow.state || next.workflow.holders.join() !== doc.workflow.holders.join()) await recordBodyVersion(tx, this.deps.loadRoomUpdates, doc, body.action, user, now);
      if (approval) await storeApproval(tx, this.deps.loadRoomUpdates, doc, approval, approvedBody?.sha256, user, now);
      const signed = approval ? { approvalSignature: { recordSha256: approval.recordSha256, signer: approval.signerName, serial: approval.signerSerialHex, digest: approval.signatureDigest } } : {};
      await appendAudit(tx, { documentId: id, at: now, actorId: user.id, actorName: user.name, action: body.action, payload: approvedBody ? { ...entry, bodySha256: approvedBody.sha256, ...signed } : { ...(entry ?? {}), ...signed } });
      if (body.action === 'dispatch') await this.createExchangeItems(tx, next, user, now);
      if (body.clientId) await tx.run('INSERT INTO document_action_ids (document_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)', [id, body.clientId, user.id, now]);
      return { repeated: false as const, doc: next };
    }));
    this.actions?.inc({ action: body.action, result: result.repeated ? 'repeated' : 'applied' });
    if (!result.repeated) this.feed?.notify();
    if (result.repeated) return this.view(user, await this.readable(user, id), { actor });
    return this.view(user, result.doc, { actor, ...(people ? { unitPeople: people } : {}), ...(to ? { named: to } : {}) });
  }

  /** 分发: one exchange item per receiving unit, carrying the sealed PDF. */
  private async createExchangeItems(tx: Queryable, doc: StoredDocument, user: AccountUser, now: number): Promise<void> {
    const pdf = await tx.get<{ current_sha256: string; signed: number }>('SELECT current_sha256, signed FROM document_pdfs WHERE document_id = ?', [doc.id]);
    if (!pdf || Number(pdf.signed) !== 1) throw new HttpError('rejected', errorText('documents.notSealed'));
    for (const unitId of doc.workflow.dispatchedTo ?? []) {
      const open = await tx.get("SELECT id FROM exchange_items WHERE document_id = ? AND to_unit_id = ? AND status IN ('pending', 'received')", [doc.id, unitId]);
      if (open) continue;
      const exchangeId = randomUUID();
      await tx.run(
        `INSERT INTO exchange_items (id, document_id, from_unit_id, to_unit_id, title, doc_number, pdf_sha256, urgency, secrecy_level, status, sent_by, sent_by_name, sent_at, change_seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        [exchangeId, doc.id, doc.workflow.unitId, unitId, doc.fields.title, printedNumber(doc) ?? null, pdf.current_sha256, doc.fields.urgency, doc.fields.secrecy.level, user.id, user.name, now, await nextChangeSeq(tx)],
      );
    }
  }

  /** GET /api/documents/:id/audit */
  async audit(user: AccountUser, id: string) {
    await this.readable(user, id);
    return readAudit(this.deps.db, id);
  }

  // ── delegation (委托) ───────────────────────────────────────────────────

  async delegate(user: AccountUser, toUserId: string, until: Date): Promise<Delegation> {
    const now = this.deps.now();
    if (until.getTime() <= now) throw badRequest(errorText('delegations.endInPast'));
    if (until.getTime() - now > 90 * 24 * 3600 * 1000) throw badRequest(errorText('delegations.tooLong'));
    if (toUserId === user.id) throw badRequest(errorText('delegations.notSelf'));
    const to = await this.participant(toUserId);
    if (!to) throw badRequest(errorText('directory.delegateNotFound', { toUserId }));
    if (to.unitId !== user.unitId) throw badRequest(errorText('delegations.sameUnitOnly'));
    const id = randomUUID();
    await this.deps.db.run('INSERT INTO delegations (id, from_user, to_user, until, revoked, created_at) VALUES (?, ?, ?, ?, 0, ?)', [id, user.id, toUserId, until.getTime(), now]);
    return { id, fromUserId: user.id, fromName: user.name, toUserId, toName: to.name, until: until.toISOString() };
  }

  async delegations(user: AccountUser): Promise<{ given: Delegation[]; received: Delegation[] }> {
    const rows = await this.deps.db.all<{ id: string; from_user: string; to_user: string; until: number }>(
      'SELECT id, from_user, to_user, until FROM delegations WHERE revoked = 0 AND until > ? AND (from_user = ? OR to_user = ?) ORDER BY created_at',
      [this.deps.now(), user.id, user.id],
    );
    const out: Delegation[] = [];
    for (const r of rows) {
      out.push({
        id: r.id,
        fromUserId: r.from_user,
        fromName: (await this.participant(r.from_user))?.name ?? r.from_user,
        toUserId: r.to_user,
        toName: (await this.participant(r.to_user))?.name ?? r.to_user,
        until: iso(Number(r.until)),
      });
    }
    return { given: out.filter((d) => d.fromUserId === user.id), received: out.filter((d) => d.toUserId === user.id) };
  }

  async revokeDelegation(user: AccountUser, id: string): Promise<void> {
    const result = await this.deps.db.run('UPDATE delegations SET revoked = 1 WHERE id = ? AND from_user = ? AND revoked = 0', [id, user.id]);
    if (result.changes !== 1) throw notFound(errorText('delegations.notFound'));
  }

}

export function toParticipant(user: Pick<AccountUser, 'id' | 'name' | 'unitId' | 'roles'>): Participant {
  return { id: user.id, name: user.name, unitId: user.unitId, roles: [...user.roles] };
}

function encodeCursor(updatedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([updatedAt, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: number; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && typeof value[0] === 'number' && typeof value[1] === 'string') return { updatedAt: value[0], id: value[1] };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(errorText('http.pageInvalid'));
}

/**
 * The first problem of the particulars, worded as today (标题不能为空, or zod's own words) and keyed
 * when it is a catalogue wording, so the English interface words it too.
 */
function firstIssueText(error: ZodError): ErrorText {
  const message = error.issues[0]?.message;
  return message ? textOfWording(message) : errorText('documents.invalid');
}
