/**
 * 协同拟稿人 (issue 19): colleagues of the drafter's unit whom the drafter names to write the body
 * with them while the document is at 拟稿. Stored per document (migration `co-drafters-001`); the
 * `doc:` room rule and the lists read them; only the drafter changes the list, and a change
 * re-decides every open connection to the body's room (RoomPolicies.changeAccess), as a step does.
 */
import { mayBeCoDrafter } from '../../shared/domain/documents';
import type { AccountUser } from '../../shared/http/auth';
import type { DocumentView } from '../../shared/http/documents';
import { appendAudit } from '../audit/auditLog';
import type { ServerDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../http/errors';
import type { Migration } from '../store/migrations';
import type { Queryable } from '../store/database';
import type { ChangeFeed } from './changeFeed';
import { loadDocument, saveDocument } from './repository';
import type { DocumentService } from './service';
import { errorText } from '../../shared/errors';

const coDrafters001 = `
CREATE TABLE document_co_drafters (
  document_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (document_id, user_id)
);
CREATE INDEX document_co_drafters_user ON document_co_drafters (user_id);
`;

export const coDrafterMigrations: Migration[] = [{ id: 'co-drafters-001-document-co-drafters', sqlite: coDrafters001, postgres: coDrafters001 }];

/** The ids of a document's 协同拟稿人, in the order they were added. */
export async function coDraftersOf(db: Queryable, documentId: string): Promise<string[]> {
  const rows = await db.all<{ user_id: string }>('SELECT user_id FROM document_co_drafters WHERE document_id = ? ORDER BY added_at, user_id', [documentId]);
  return rows.map((row) => row.user_id);
}

/** SQL condition (one `?`, the user id) true for documents the user co-drafts. */
export const coDraftedBy = 'd.id IN (SELECT document_id FROM document_co_drafters WHERE user_id = ?)';

export class CoDrafterService {
  constructor(
    private readonly deps: Pick<ServerDeps, 'db' | 'accounts' | 'now' | 'rooms'>,
    private readonly documents: DocumentService,
    private readonly feed?: ChangeFeed,
  ) {}

  /**
   * `PUT /api/documents/:id/co-drafters`: replaces the list. Only the drafter, only at 拟稿, only
   * enabled people of the drafter's unit (never the drafter). Audited; the document's version moves
   * on (so its readers' lists and change feeds see it) and the room's connections are re-decided.
   */
  async set(user: AccountUser, id: string, userIds: readonly string[]): Promise<DocumentView> {
    const before = await this.documents.readable(user, id);
    if (before.workflow.kind !== 'outgoing' || before.workflow.drafterId !== user.id) throw forbidden(errorText('coDrafters.drafterOnly'));
    if (before.workflow.state !== 'draft') throw forbidden(errorText('coDrafters.alreadySubmitted'));
    const wanted = [...new Set(userIds)];
    // The unit's enabled people: a disabled account or someone of another unit is refused by name.
    const colleagues = new Map((await this.deps.accounts.listUsers(before.workflow.unitId)).map((person) => [person.id, person]));
    const names: string[] = [];
    for (const userId of wanted) {
      const person = colleagues.get(userId) ?? (await this.deps.accounts.userById(userId));
      if (!person) throw badRequest(errorText('directory.userNotFound', { userId }));
      if (person.id === user.id) throw badRequest(errorText('coDrafters.notSelf'));
      if (!colleagues.has(userId) || !mayBeCoDrafter(person, before.workflow)) throw badRequest(errorText('coDrafters.notInUnit', { name: person.name }));
      names.push(person.name);
    }
    const doc = await this.deps.rooms.changeAccess(`doc:${id}`, () =>
      this.deps.db.transaction(async (tx) => {
        const current = await loadDocument(tx, id);
        if (!current) throw notFound(errorText('documents.notFound'));
        if (current.workflow.state !== 'draft') throw forbidden(errorText('coDrafters.alreadySubmitted'));
        const now = this.deps.now();
        await tx.run('DELETE FROM document_co_drafters WHERE document_id = ?', [id]);
        for (const [index, userId] of wanted.entries()) {
          await tx.run('INSERT INTO document_co_drafters (document_id, user_id, added_by, added_at) VALUES (?, ?, ?, ?)', [id, userId, user.id, now + index]);
        }
        const next = { ...current, workflow: { ...current.workflow, version: current.workflow.version + 1 }, updatedAt: now };
        await saveDocument(tx, next, current.workflow.version);
        await appendAudit(tx, { documentId: id, at: now, actorId: user.id, actorName: user.name, action: 'co-drafters', payload: { coDrafters: wanted.map((userId, i) => ({ userId, name: names[i] })) } });
        return next;
      }),
    );
    this.feed?.notify();
    return this.documents.view(user, doc);
  }
}
