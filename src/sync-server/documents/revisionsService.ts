/**
 * Tracked revisions (修订痕迹) of a document's body: the versions its steps closed, the attributed
 * differences between two of them (or one and the body now), the holder's 接受 / 拒绝, and the marked-up
 * text as a PDF for the file. Whoever may read the document may see its revisions; only a person who
 * may change the body now (a holder at a step where it may change) may decide on them — a 拒绝 itself
 * is an edit the holder's editor makes in the room, and this records the decision beside it.
 */
import * as Y from 'yjs';
import { mayEditBody, workflowStateLabels, type FontOverrides } from '../../shared/domain/documents';
import type { AccountUser } from '../../shared/http/auth';
import type { BodyVersion, BodyVersionList, ChangeDecision, RevisionDecisionRequest, RevisionsQuery, RevisionsResponse } from '../../shared/http/revisions';
import { renderRevisionsPdf } from '../../signing/render/revisionsPdf';
import type { ServerDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../http/errors';
import { presenceColor } from '../rooms/presence';
import type { StoredDocument } from './repository';
import { diffVersions, type LaterVersion, type Person } from './revisionsDiff';
import { bodyAuthors, listBodyVersions, loadBodyVersions, roomState } from './revisionVersions';
import type { DocumentService } from './service';
import { errorText } from '../../shared/errors';

export class RevisionsService {
  constructor(
    private readonly deps: Pick<ServerDeps, 'accounts' | 'db' | 'now' | 'loadRoomUpdates'>,
    private readonly documents: DocumentService,
    private readonly options: { fonts?: FontOverrides } = {},
  ) {}

  /** GET /api/documents/:id/versions */
  async versions(user: AccountUser, id: string): Promise<BodyVersionList> {
    await this.documents.readable(user, id);
    return { versions: await listBodyVersions(this.deps.db, id) };
  }

  /** GET /api/documents/:id/revisions?from&to */
  async revisions(user: AccountUser, id: string, query: RevisionsQuery): Promise<RevisionsResponse> {
    const doc = await this.documents.readable(user, id);
    return this.compare(user, doc, query);
  }

  /** POST /api/documents/:id/revisions/decisions */
  async decide(user: AccountUser, id: string, request: RevisionDecisionRequest): Promise<{ decided: number }> {
    const doc = await this.documents.readable(user, id);
    if (!(await this.mayDecide(user, doc))) throw forbidden(errorText('revisions.holderOnly'));
    const now = this.deps.now();
    await this.deps.db.transaction(async (tx) => {
      for (const changeId of request.changeIds) {
        await tx.run(
          'INSERT INTO document_revision_decisions (document_id, change_id, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (document_id, change_id) DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at',
          [id, changeId, request.decision, user.id, now],
        );
      }
    });
    return { decided: request.changeIds.length };
  }

  /** GET /api/documents/:id/revisions/pdf?from&to: the marked-up text for the file. */
  async pdf(user: AccountUser, id: string, query: RevisionsQuery): Promise<Uint8Array> {
    const doc = await this.documents.readable(user, id);
    await this.documents.auditAccess(user, doc, 'revisions');
    const compared = await this.compare(user, doc, query);
    const label = (v: BodyVersion) => `第${v.seq}版（${workflowStateLabels[v.step]} ${v.actorName}）`;
    return renderRevisionsPdf(
      { title: doc.fields.title, range: `${label(compared.from)} → ${compared.to ? label(compared.to) : '当前正文'}`, paragraphs: compared.paragraphs },
      this.options.fonts ? { fonts: this.options.fonts } : {},
    );
  }

  private async mayDecide(user: AccountUser, doc: StoredDocument): Promise<boolean> {
    const actor = await this.documents.actorFor(user);
    return mayEditBody(doc.workflow, [actor.id, ...(actor.delegators ?? []).map((d) => d.id)]);
  }

  private async compare(user: AccountUser, doc: StoredDocument, query: RevisionsQuery): Promise<RevisionsResponse> {
    const listed = await listBodyVersions(this.deps.db, doc.id);
    const from = listed.find((v) => v.id === query.from);
    if (!from) throw notFound(errorText('revisions.versionNotFound'));
    const to = query.to === 'current' ? undefined : listed.find((v) => v.id === query.to);
    if (query.to !== 'current' && !to) throw notFound(errorText('revisions.versionNotFound'));
    if (to && to.seq <= from.seq) throw badRequest(errorText('revisions.compareOrder'));
    const last = to?.seq ?? listed[listed.length - 1]!.seq;
    const stored = await loadBodyVersions(this.deps.db, doc.id, from.seq, last);
    const states = stored.map((v) => v.state);
    const later: LaterVersion[] = stored.slice(1).map((v) => ({ snapshot: Y.decodeSnapshot(v.snapshot), holder: { id: v.actorId, name: v.actorName } }));
    if (!to) {
      // The body now: deletions since the last version are the current holders'.
      const current = await roomState(this.deps.loadRoomUpdates, doc.id);
      states.push(current.state);
      const holders = await Promise.all(doc.workflow.holders.map((h) => this.person(h)));
      const holder = holders[0] ? { id: holders[0].id, name: holders.map((h) => h.name).join('、') } : { id: '', name: '未知' };
      later.push({ snapshot: Y.decodeSnapshot(current.snapshot), holder });
    }
    const authors = await bodyAuthors(this.deps.db, doc.id);
    const people = new Map<string, Person>();
    for (const userId of new Set(authors.values())) people.set(userId, await this.person(userId));
    const decisions = new Map(
      (await this.deps.db.all<{ change_id: string; decision: ChangeDecision }>('SELECT change_id, decision FROM document_revision_decisions WHERE document_id = ?', [doc.id])).map((row) => [row.change_id, row.decision]),
    );
    const paragraphs = diffVersions({
      states,
      from: Y.decodeSnapshot(stored[0]!.snapshot),
      later,
      authorOf: (client) => {
        const userId = authors.get(client);
        return userId ? people.get(userId) : undefined;
      },
      colorOf: presenceColor,
      decisions,
    });
    return { from, ...(to ? { to } : {}), paragraphs, mayDecide: await this.mayDecide(user, doc) };
  }

  private async person(userId: string): Promise<Person> {
    const found = await this.deps.accounts.userById(userId);
    return { id: userId, name: found?.name ?? userId };
  }
}
