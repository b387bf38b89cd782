/**
 * 公文交换 between units: what 分发 sent, signed for (签收, which starts the receiving unit's 收文
 * with the sealed PDF), returned with a reason (退回), or taken back by the sender before anyone
 * signed for it (撤回). Each event is audited on the sent document, and 签收 also on the new 收文.
 */
import { randomUUID } from 'node:crypto';
import { returnToSender, startIncoming, type DocumentFields, type Participant } from '../../shared/domain/documents';
import type { AccountUser } from '../../shared/http/auth';
import type { ExchangeActionRequest, ExchangeItem, ExchangeListQuery, ExchangeListResponse } from '../../shared/http/documents';
import { appendAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import type { ChangeFeed } from '../documents/changeFeed';
import { toParticipant, type DocumentService } from '../documents/service';
import { getBlob, insertDocument, loadDocument, nextChangeSeq, saveDocument, touchDocument, type StoredDocument } from '../documents/repository';
import { badRequest, conflict, forbidden, HttpError, notFound, rejected } from '../http/errors';
import { exchangeStatusLabels, signForDeadline } from '../../shared/domain/exchange';
import type { ExchangeVerification } from '../../shared/http/exchange';
import { exchangeSettings, type ExchangeSettings } from './config';
import { sealVerifierFor, verificationProblems, type DocumentVerification, type SealVerifier } from './verification';
import type { Queryable, SqlValue } from '../store/database';
import { errorText, type ErrorText } from '../../shared/errors';

interface ExchangeRow {
  [key: string]: unknown;
  id: string;
  document_id: string;
  from_unit_id: string;
  to_unit_id: string;
  title: string;
  doc_number: string | null;
  pdf_sha256: string;
  urgency: ExchangeItem['urgency'];
  secrecy_level: string;
  status: ExchangeItem['status'];
  sent_by: string;
  sent_by_name: string;
  sent_at: number;
  handled_by: string | null;
  handled_by_name: string | null;
  handled_at: number | null;
  reason: string | null;
  incoming_document_id: string | null;
  reminder_count: number | null;
  reminded_at: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class ExchangeService {
  private readonly settings: ExchangeSettings;
  private readonly verifier: SealVerifier;

  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now' | 'rooms'> & Partial<Pick<ServerDeps, 'exchange'>>,
    private readonly documents: DocumentService,
    private readonly feed?: ChangeFeed,
  ) {
    this.settings = exchangeSettings(deps.exchange);
    this.verifier = sealVerifierFor(deps);
  }

  /** When `row` must be signed for, by its urgency and the server's working days. */
  dueAt(row: Pick<ExchangeRow, 'sent_at' | 'urgency'>): number {
    return signForDeadline(Number(row.sent_at), row.urgency, this.settings.deadlines, this.settings.calendar);
  }

  private async unitNames(): Promise<Map<string, string>> {
    return new Map((await this.deps.accounts.listUnits()).map((u) => [u.id, u.name]));
  }

  private toItem(row: ExchangeRow, names: Map<string, string>): ExchangeItem {
    return {
      id: row.id,
      documentId: row.document_id,
      title: row.title,
      ...(row.doc_number ? { docNumber: row.doc_number } : {}),
      fromUnitId: row.from_unit_id,
      fromUnitName: names.get(row.from_unit_id) ?? row.from_unit_id,
      toUnitId: row.to_unit_id,
      toUnitName: names.get(row.to_unit_id) ?? row.to_unit_id,
      status: row.status,
      urgency: row.urgency,
      secrecyLevel: row.secrecy_level,
      sentBy: row.sent_by,
      sentByName: row.sent_by_name,
      sentAt: iso(Number(row.sent_at)),
      ...(row.handled_by ? { handledBy: row.handled_by } : {}),
      ...(row.handled_by_name ? { handledByName: row.handled_by_name } : {}),
      ...(row.handled_at !== null ? { handledAt: iso(Number(row.handled_at)) } : {}),
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.incoming_document_id ? { incomingDocumentId: row.incoming_document_id } : {}),
      ...this.tracking(row),
    };
  }

  /** Deadline, overdue flag, time to sign for and 催收 of one item. */
  private tracking(row: ExchangeRow): Pick<ExchangeItem, 'dueAt' | 'overdue' | 'signForMinutes' | 'reminderCount' | 'remindedAt'> {
    const due = this.dueAt(row);
    const handled = row.handled_at === null ? null : Number(row.handled_at);
    return {
      dueAt: iso(due),
      overdue: row.status === 'pending' && this.deps.now() > due,
      ...(row.status === 'received' && handled !== null ? { signForMinutes: Math.max(0, Math.round((handled - Number(row.sent_at)) / 60_000)) } : {}),
      ...(Number(row.reminder_count ?? 0) > 0 ? { reminderCount: Number(row.reminder_count) } : {}),
      ...(row.reminded_at !== null && row.reminded_at !== undefined ? { remindedAt: iso(Number(row.reminded_at)) } : {}),
    };
  }

  /**
   * GET /api/exchange/:id/verification: the sent PDF's signatures and seals checked now, for both
   * ends of the exchange (the same answer the server acts on at 签收).
   */
  async verification(user: AccountUser, id: string): Promise<ExchangeVerification> {
    const row = await this.item(user, id);
    const result = await this.verifier.verifyBlob(row.pdf_sha256);
    return { exchangeId: row.id, verdict: result.verdict, signatures: result.signatures, problems: result.problems, problemTexts: result.problemTexts, checkedAt: iso(result.checkedAt), crlCount: result.crlCount };
  }

  /**
   * 催收 by the server: every item still 待签收 past its deadline and not reminded since, reminded
   * once by 系统 (audited on the sent document; the change feed refreshes both ends' lists).
   * Bounded per run; resolves to the ids reminded.
   */
  async remindOverdue(now: number): Promise<string[]> {
    const shortest = Math.min(...Object.values(this.settings.deadlines).map((l) => ('hours' in l ? l.hours * 3_600_000 : 24 * 3_600_000)));
    // Never-reminded items first, then the longest unreminded: a backlog of reminded ones cannot starve new ones.
    const rows = await this.deps.db.all<ExchangeRow>("SELECT * FROM exchange_items WHERE status = 'pending' AND sent_at < ? ORDER BY COALESCE(reminded_at, 0), sent_at LIMIT 500", [
      now - shortest,
    ]);
    const reminded: string[] = [];
    for (const row of rows) {
      const due = this.dueAt(row);
      if (now <= due || (row.reminded_at !== null && Number(row.reminded_at) >= due)) continue;
      const done = await this.deps.db.transaction(async (tx) => {
        const moved = await tx.run(
          "UPDATE exchange_items SET reminder_count = reminder_count + 1, reminded_at = ?, change_seq = ? WHERE id = ? AND status = 'pending' AND (reminded_at IS NULL OR reminded_at < ?)",
          [now, await nextChangeSeq(tx), row.id, due],
        );
        if (moved.changes !== 1) return false;
        await appendAudit(tx, { documentId: row.document_id, at: now, actorId: 'system', actorName: '系统', action: 'exchange.remind', payload: { exchangeId: row.id, toUnitId: row.to_unit_id, dueAt: iso(due), automatic: true } });
        return true;
      });
      if (done) reminded.push(row.id);
    }
    if (reminded.length > 0) this.feed?.notify();
    return reminded;
  }

  /**
   * GET /api/exchange?box=…: items addressed to (incoming) or sent by (outgoing) the caller's unit,
   * newest first, a page at a time (`limit`, then `cursor` = the previous page's `next`). The cursor
   * is the last row's (sent_at, id), so items dispatched meanwhile never shift a later page.
   */
  async list(user: AccountUser, query: Pick<ExchangeListQuery, 'box' | 'limit' | 'cursor'>): Promise<ExchangeListResponse> {
    const column = query.box === 'incoming' ? 'to_unit_id' : 'from_unit_id';
    const where = [`${column} = ?`];
    const params: SqlValue[] = [user.unitId];
    if (query.cursor) {
      const after = decodeListCursor(query.cursor);
      where.push('(sent_at < ? OR (sent_at = ? AND id < ?))');
      params.push(after.sentAt, after.sentAt, after.id);
    }
    const rows = await this.deps.db.all<ExchangeRow>(`SELECT * FROM exchange_items WHERE ${where.join(' AND ')} ORDER BY sent_at DESC, id DESC LIMIT ?`, [
      ...params,
      query.limit + 1,
    ]);
    const page = rows.slice(0, query.limit);
    const names = await this.unitNames();
    const last = page.at(-1);
    return { items: page.map((r) => this.toItem(r, names)), ...(rows.length > query.limit && last ? { next: encodeListCursor(Number(last.sent_at), last.id) } : {}) };
  }

  private async item(user: AccountUser, id: string): Promise<ExchangeRow> {
    const row = await this.deps.db.get<ExchangeRow>('SELECT * FROM exchange_items WHERE id = ?', [id]);
    // Another unit's exchange items do not exist for this caller.
    if (!row || (row.to_unit_id !== user.unitId && row.from_unit_id !== user.unitId)) throw notFound(errorText('exchange.notFound'));
    return row;
  }

  async get(user: AccountUser, id: string): Promise<ExchangeItem> {
    return this.toItem(await this.item(user, id), await this.unitNames());
  }

  /** GET /api/exchange/:id/pdf: the sealed PDF as sent, for both ends of the exchange. */
  async pdf(user: AccountUser, id: string): Promise<Buffer> {
    const row = await this.item(user, id);
    const bytes = await getBlob(this.deps.db, row.pdf_sha256);
    if (!bytes) throw notFound(errorText('exchange.fileNotFound'));
    return bytes;
  }

  /**
   * 初审 退回 after 签收: while the 收文 still waits for 登记, its clerk may send it back to the
   * issuing unit; the 收文 is closed with that record and the sender sees the item as returned.
   */
  private async returnAfterReceipt(user: AccountUser, row: ExchangeRow, reason: string, clientId: string | undefined): Promise<ExchangeItem> {
    const incomingId = row.incoming_document_id;
    if (!incomingId) throw conflict(errorText('exchange.alreadyReceived'));
    const actor = await this.documents.actorFor(user);
    const now = this.deps.now();
    // The 收文 closes: its clerks' open connections to the body lose their write right at once.
    await this.deps.rooms.changeAccess(`doc:${incomingId}`, () => this.deps.db.transaction(async (tx) => {
      const incoming = await loadDocument(tx, incomingId);
      if (!incoming) throw notFound(errorText('exchange.incomingNotFound'));
      const result = returnToSender(incoming.workflow, actor, reason, new Date(now).toISOString());
      if (!result.ok) throw result.code === 'invalid' ? badRequest(result.text) : conflict(inProgressText(result.text));
      await saveDocument(tx, { ...incoming, workflow: result.status, updatedAt: now }, incoming.workflow.version);
      const moved = await tx.run(
        "UPDATE exchange_items SET status = 'returned', handled_by = ?, handled_by_name = ?, handled_at = ?, reason = ?, change_seq = ? WHERE id = ? AND status = 'received'",
        [user.id, user.name, now, reason, await nextChangeSeq(tx), row.id],
      );
      if (moved.changes !== 1) throw conflict(errorText('exchange.stateChanged'));
      await touchDocument(tx, row.document_id);
      const payload = { exchangeId: row.id, toUnitId: row.to_unit_id, reason, afterReceipt: true };
      await appendAudit(tx, { documentId: row.document_id, at: now, actorId: user.id, actorName: user.name, action: 'exchange.return', payload });
      await appendAudit(tx, { documentId: incomingId, at: now, actorId: user.id, actorName: user.name, action: 'return', payload: { reason } });
      await recordClientId(tx, row.id, clientId, user.id, now);
    }));
    this.feed?.notify();
    return this.get(user, row.id);
  }

  /**
   * POST /api/exchange/:id/actions. With a `clientId` the action is applied once: the same person
   * sending the same id again (the outbox after a crash or a lost response) gets the item as it is
   * now, not the 409 a second 签收 would get, so their client does not report a refusal for what
   * was done.
   */
  async act(user: AccountUser, id: string, request: ExchangeActionRequest): Promise<ExchangeItem> {
    const row = await this.item(user, id);
    const clientId = request.clientId;
    if (clientId && (await appliedBefore(this.deps.db, id, clientId, user.id))) return this.toItem(row, await this.unitNames());
    try {
      return await this.apply(user, row, request);
    } catch (error) {
      // Two copies of one command racing: the second sees the first's change as a conflict.
      if (clientId && error instanceof HttpError && error.code === 'conflict' && (await appliedBefore(this.deps.db, id, clientId, user.id))) return this.get(user, id);
      throw error;
    }
  }

  /** 催收 by the sending clerk: the receiving unit sees it reminded (count and time) until it acts. */
  private async remind(user: AccountUser, row: ExchangeRow, clientId: string | undefined): Promise<ExchangeItem> {
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      const moved = await tx.run("UPDATE exchange_items SET reminder_count = reminder_count + 1, reminded_at = ?, change_seq = ? WHERE id = ? AND status = 'pending'", [
        now,
        await nextChangeSeq(tx),
        row.id,
      ]);
      if (moved.changes !== 1) throw conflict(errorText('exchange.reminderNotNeeded', { status: await currentStatusLabel(tx, row) }));
      await appendAudit(tx, { documentId: row.document_id, at: now, actorId: user.id, actorName: user.name, action: 'exchange.remind', payload: { exchangeId: row.id, toUnitId: row.to_unit_id } });
      await recordClientId(tx, row.id, clientId, user.id, now);
    });
    this.feed?.notify();
    return this.get(user, row.id);
  }

  private async apply(user: AccountUser, row: ExchangeRow, request: ExchangeActionRequest): Promise<ExchangeItem> {
    const id = row.id;
    const isClerk = user.roles.includes('clerk');
    const now = this.deps.now();
    const reason = request.reason?.trim();
    if (request.action === 'withdraw' || request.action === 'remind') {
      if (row.from_unit_id !== user.unitId || !isClerk) throw forbidden(request.action === 'withdraw' ? errorText('exchange.withdrawSenderClerk') : errorText('exchange.remindSenderClerk'));
    } else if (row.to_unit_id !== user.unitId || !isClerk) {
      throw forbidden(request.action === 'receive' ? errorText('exchange.receiveRecipientClerk') : errorText('exchange.returnRecipientClerk'));
    }
    if (request.action === 'return' && !reason) throw badRequest(errorText('workflow.reasonRequired'));
    if (request.action === 'return' && row.status === 'received') return this.returnAfterReceipt(user, row, reason ?? '', request.clientId);

    if (request.action === 'remind') return this.remind(user, row, request.clientId);

    let incoming: StoredDocument | undefined;
    let verified: DocumentVerification | undefined;
    if (request.action === 'receive') {
      if (row.status !== 'pending') throw conflict(errorText('exchange.statusNow', { status: exchangeStatusLabels[row.status] }));
      // The receiving side checks again what it signs for: a document whose seals do not verify now
      // (altered, revoked, no longer trusted) is refused with the reason, and may be 退回.
      verified = await this.verifier.verifyBlob(row.pdf_sha256);
      if (verified.verdict !== 'valid') throw rejected(errorText('exchange.receiveVerifyFailed', { problems: verificationProblems(verified) }));
      // Directory lookups before the transaction (SQLite has one connection).
      const source = await loadDocument(this.deps.db, row.document_id);
      if (!source) throw notFound(errorText('exchange.sourceNotFound'));
      const clerks = (await this.deps.accounts.listUsers(user.unitId)).filter((u) => u.roles.includes('clerk'));
      const receiver = toParticipant(user);
      const workflow = startIncoming(receiver, clerks.map((c): Participant => ({ id: c.id, name: c.name, unitId: c.unitId, roles: c.roles })));
      incoming = { id: randomUUID(), fields: incomingFields(source), workflow, createdAt: now, updatedAt: now, sourceExchangeId: row.id };
    }

    const status = request.action === 'receive' ? 'received' : request.action === 'return' ? 'returned' : 'withdrawn';
    await this.deps.db.transaction(async (tx) => {
      // Only a pending item moves: two clerks signing at once, the second gets 409.
      const moved = await tx.run(
        "UPDATE exchange_items SET status = ?, handled_by = ?, handled_by_name = ?, handled_at = ?, reason = ?, incoming_document_id = ?, change_seq = ? WHERE id = ? AND status = 'pending'",
        [status, user.id, user.name, now, reason ?? null, incoming?.id ?? null, await nextChangeSeq(tx), id],
      );
      if (moved.changes !== 1) throw conflict(errorText('exchange.statusNow', { status: await currentStatusLabel(tx, row) }));
      // The sender's open document shows this unit's receipt: it must hear of the change.
      await touchDocument(tx, row.document_id);
      const payload = { exchangeId: id, toUnitId: row.to_unit_id, ...(reason ? { reason } : {}), ...(incoming ? { incomingDocumentId: incoming.id } : {}) };
      await appendAudit(tx, { documentId: row.document_id, at: now, actorId: user.id, actorName: user.name, action: `exchange.${request.action}`, payload });
      if (incoming) {
        await insertDocument(tx, incoming);
        await tx.run('INSERT INTO document_pdfs (document_id, base_sha256, current_sha256, seal_placement, signed, updated_at) VALUES (?, ?, ?, NULL, 1, ?)', [
          incoming.id,
          row.pdf_sha256,
          row.pdf_sha256,
          now,
        ]);
        await tx.run('INSERT INTO document_acted (document_id, user_id, acted_at) VALUES (?, ?, ?)', [incoming.id, user.id, now]);
        await appendAudit(tx, {
          documentId: incoming.id,
          at: now,
          actorId: user.id,
          actorName: user.name,
          action: 'exchange.receive',
          payload: {
            exchangeId: id,
            fromUnitId: row.from_unit_id,
            sourceDocumentId: row.document_id,
            pdfSha256: row.pdf_sha256,
            ...(verified ? { verification: { verdict: verified.verdict, signers: verified.signatures.map((s) => s.signerName ?? ''), crlCount: verified.crlCount } } : {}),
          },
        });
      }
      await recordClientId(tx, id, request.clientId, user.id, now);
    });
    this.feed?.notify();
    return this.get(user, id);
  }
}

/**
 * 退回 after 签收 refused by the 收文's workflow: the workflow's reason inside 不能退回（…）, with a key
 * of its own for each reason the workflow gives, so no Chinese reason rides in a parameter.
 */
function inProgressText(reason: ErrorText): ErrorText {
  if (reason.key === 'workflow.returnOnlyRegistering') return errorText('exchange.inProgressNotRegistering');
  if (reason.key === 'workflow.returnClerkOnly') return errorText('exchange.inProgressClerkOnly');
  return errorText('exchange.inProgress', { reason: reason.message });
}

/** Whether `userId` already had the action with `clientId` applied to exchange item `exchangeId`. */
async function appliedBefore(db: Queryable, exchangeId: string, clientId: string, userId: string): Promise<boolean> {
  return !!(await db.get('SELECT 1 AS seen FROM exchange_action_ids WHERE exchange_id = ? AND client_id = ? AND user_id = ?', [exchangeId, clientId, userId]));
}

/** Inside the action's transaction: the id is kept exactly when the action commits. */
async function recordClientId(tx: Queryable, exchangeId: string, clientId: string | undefined, userId: string, now: number): Promise<void> {
  if (!clientId) return;
  await tx.run('INSERT INTO exchange_action_ids (exchange_id, client_id, user_id, created_at) VALUES (?, ?, ?, ?)', [exchangeId, clientId, userId, now]);
}

/**
 * The words of the status another clerk's action just gave the item (a refusal's `{status}`). The
 * row read before the transaction is stale exactly when the update found nothing to move.
 */
async function currentStatusLabel(tx: Queryable, row: ExchangeRow): Promise<string> {
  const now = await tx.get<{ status: ExchangeItem['status'] }>('SELECT status FROM exchange_items WHERE id = ?', [row.id]);
  return exchangeStatusLabels[now?.status ?? row.status];
}

/** The 收文 keeps what the sender printed; its own workflow starts fresh at 登记. */
function incomingFields(source: StoredDocument): DocumentFields {
  const f = source.fields;
  return {
    ...f,
    ...(source.workflow.docNumber ? { docNumber: source.workflow.docNumber } : {}),
    dueDate: undefined,
  };
}

/** A page's `next`: the last row's (sent_at, id), opaque to clients. */
function encodeListCursor(sentAt: number, id: string): string {
  return Buffer.from(JSON.stringify([sentAt, id]), 'utf8').toString('base64url');
}

function decodeListCursor(cursor: string): { sentAt: number; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') return { sentAt: value[0] as number, id: value[1] };
  } catch {
    // fall through to the 400 below
  }
  throw badRequest(errorText('http.pageInvalid'));
}
