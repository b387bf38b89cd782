/**
 * The attributed differences between two versions of a Lexical-over-Yjs body (修订痕迹).
 *
 * Yjs gives every character an id (client, clock), and a version's snapshot (state vector + delete
 * set) says which characters it shows. So the difference needs no text diffing: every character
 * visible in the newer version but not in the older one was inserted by the person who authored its
 * client; every one visible in the older but not the newer was deleted — by whoever held the step
 * whose version first stopped showing it (Yjs records no author of a deletion). The states of the
 * versions are applied, oldest first, to one document that keeps deleted content (`gc: false`), so
 * text the newer version deleted is still there to show struck through.
 *
 * The walk mirrors roomBody.ts: a block is an element holding characters itself; an element holding
 * only elements (a list, a table) is walked into; elements inside a block (links) are inline.
 */
import * as Y from 'yjs';
import type { ChangeDecision, RevisionParagraph, RevisionSegment } from '../../shared/http/revisions';

export interface Person {
  readonly id: string;
  readonly name: string;
}

/** One version after the older one: its snapshot, and who held the step it closed (the deleter). */
export interface LaterVersion {
  readonly snapshot: Y.Snapshot;
  readonly holder: Person;
}

export interface DiffInput {
  /** Whole-state updates of the versions compared and every one between, oldest first. */
  readonly states: readonly Uint8Array[];
  /** The older version's snapshot. */
  readonly from: Y.Snapshot;
  /** Every later version up to and including the newer one, oldest first (at least one). */
  readonly later: readonly LaterVersion[];
  /** Who authored a Yjs client (the sync server's record); undefined when unknown. */
  readonly authorOf: (clientId: number) => Person | undefined;
  readonly colorOf: (personId: string) => string;
  readonly decisions?: ReadonlyMap<string, ChangeDecision>;
}

type Status = RevisionSegment['kind'];

/** Whether the character (client, clock) shows in `snap`. */
function visible(snap: Y.Snapshot, client: number, clock: number): boolean {
  return clock < (snap.sv.get(client) ?? 0) && !Y.isDeleted(snap.ds, Y.createID(client, clock));
}

/** Whether `snap` shows every character of [clock, clock + length) of `client` (one search, not one per character). */
function allVisible(snap: Y.Snapshot, client: number, clock: number, length: number): boolean {
  if (clock + length > (snap.sv.get(client) ?? 0)) return false;
  const ranges = snap.ds.clients.get(client);
  if (!ranges || ranges.length === 0) return true;
  // The last deleted range starting before the end of ours: it overlaps if it reaches into ours.
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.clock < clock + length) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 || ranges[found]!.clock + ranges[found]!.len <= clock;
}

interface Run {
  status: Status;
  text: string;
  client: number;
  clock: number;
  length: number;
  person: Person | undefined;
}

const UNKNOWN: Person = { id: '', name: '未知' };

class ParagraphBuilder {
  readonly runs: Run[] = [];

  /** Appends characters (one, or a whole unchanged item) starting at (client, clock). */
  add(status: Status, char: string, client: number, clock: number, person: Person | undefined): void {
    const last = this.runs[this.runs.length - 1];
    if (
      last &&
      last.status === status &&
      (status === 'same' || (last.client === client && last.clock + last.length === clock && last.person?.id === person?.id))
    ) {
      last.text += char;
      last.length += char.length;
      return;
    }
    this.runs.push({ status, text: char, client, clock, length: char.length, person });
  }
}

/** Computes the paragraphs of the newer version with the older one's text marked in, attributed. */
export function diffVersions(input: DiffInput): RevisionParagraph[] {
  const newest = input.later[input.later.length - 1];
  if (!newest) throw new Error('diffVersions needs a newer version');
  const to = newest.snapshot;
  const from = input.from;
  const doc = new Y.Doc({ gc: false });
  try {
    Y.transact(doc, () => {
      for (const state of input.states) Y.applyUpdate(doc, state);
    });
    const authors = new Map<number, Person | undefined>();
    const authorOf = (client: number): Person | undefined => {
      if (!authors.has(client)) authors.set(client, input.authorOf(client));
      return authors.get(client);
    };
    const deleterOf = (client: number, clock: number): Person => input.later.find((v) => !visible(v.snapshot, client, clock))?.holder ?? newest.holder;
    const shownInEither = (item: Y.Item): boolean => visible(from, item.id.client, item.id.clock) || visible(to, item.id.client, item.id.clock);

    const inline = (type: Y.XmlText, builder: ParagraphBuilder): void => {
      for (let item = type._start; item !== null; item = item.right) {
        const content = item.content;
        if (content instanceof Y.ContentString) {
          const { client, clock } = item.id;
          // Most of a body is unchanged: a whole item shown in both versions is one step.
          if (allVisible(from, client, clock, content.str.length) && allVisible(to, client, clock, content.str.length)) {
            builder.add('same', content.str, client, clock, undefined);
            continue;
          }
          for (let i = 0; i < content.str.length; i++) {
            const before = visible(from, client, clock + i);
            const after = visible(to, client, clock + i);
            if (!before && !after) continue;
            const char = content.str[i]!;
            if (before && after) builder.add('same', char, client, clock + i, undefined);
            else if (after) builder.add('insert', char, client, clock + i, authorOf(client) ?? UNKNOWN);
            else builder.add('delete', char, client, clock + i, deleterOf(client, clock + i));
          }
        } else if (content instanceof Y.ContentType && content.type instanceof Y.XmlText && shownInEither(item)) {
          inline(content.type, builder);
        }
      }
    };

    const hasOwnText = (type: Y.XmlText): boolean => {
      for (let item = type._start; item !== null; item = item.right) {
        if (!(item.content instanceof Y.ContentString)) continue;
        for (let i = 0; i < item.length; i++) if (visible(from, item.id.client, item.id.clock + i) || visible(to, item.id.client, item.id.clock + i)) return true;
      }
      return false;
    };

    const paragraphs: RevisionParagraph[] = [];
    const blocks = (type: Y.XmlText): void => {
      if (hasOwnText(type)) {
        const builder = new ParagraphBuilder();
        inline(type, builder);
        const item = type._item;
        if (builder.runs.length > 0) paragraphs.push({ ...toParagraph(builder.runs, input), ...(item ? { blockId: `${item.id.client}:${item.id.clock}` } : {}) });
        return;
      }
      for (let item = type._start; item !== null; item = item.right) {
        if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText && shownInEither(item)) blocks(item.content.type);
      }
    };
    blocks(doc.get('root', Y.XmlText));
    return paragraphs;
  } finally {
    doc.destroy();
  }
}

function toParagraph(runs: readonly Run[], input: DiffInput): RevisionParagraph {
  const segments = runs.map((run): RevisionSegment => {
    if (run.status === 'same') return { kind: 'same', text: run.text };
    const changeId = `${run.status === 'insert' ? 'i' : 'd'}:${run.client}:${run.clock}:${run.length}`;
    const person = run.person ?? UNKNOWN;
    const decision = input.decisions?.get(changeId);
    return {
      kind: run.status,
      text: run.text,
      changeId,
      personId: person.id,
      personName: person.name,
      color: person.id ? input.colorOf(person.id) : '#555555',
      ...(decision ? { decision } : {}),
    };
  });
  const kinds = new Set(segments.map((s) => s.kind));
  const kind = kinds.size === 1 ? segments[0]!.kind : 'changed';
  return { segments, kind };
}
