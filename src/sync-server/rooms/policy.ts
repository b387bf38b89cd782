/**
 * Who may read or write which Yjs room. Rooms are named `<kind>:<id>` (INTERFACES.md: a document's
 * body is `doc:<documentId>`); each kind has one rule, registered by the module that owns that kind
 * of thing (DOCS registers `doc:` from src/sync-server/documents). A kind without a rule is refused
 * for everyone: a new kind of room is closed until someone decides who may open it.
 */
import type { AccountUser } from '../../shared/http/auth';
import { parseRoomName, type RoomName } from '../../shared/rooms';

export type RoomAccess = 'write' | 'read' | 'none';

/** Decides access to one room of a kind; `id` is what follows `<kind>:`. */
export type RoomRule = (user: AccountUser, id: string, room: string) => Promise<RoomAccess> | RoomAccess;

/**
 * Runs a change of who may write to a room (a workflow step) so that the room's open connections
 * follow it: the sync service's `changeRoomAccess`.
 */
export type RoomAccessChanger = <T>(room: RoomName, change: () => Promise<T>) => Promise<T>;

export class RoomPolicies {
  private readonly rules = new Map<string, RoomRule>();
  private changer: RoomAccessChanger | null = null;

  /** Connects the sync service (index.ts): access changes then reach every open connection. */
  onAccessChange(changer: RoomAccessChanger): void {
    this.changer = changer;
  }

  /**
   * Runs `change` — something that changes what a rule answers for `room`, such as a document moving
   * to its next step — and has every open connection to the room re-decided when it is done, on
   * every instance. Without a sync service (tests of routes alone) it just runs `change`.
   */
  changeAccess<T>(room: string, change: () => Promise<T>): Promise<T> {
    const ref = parseRoomName(room);
    if (!this.changer || !ref) return change();
    return this.changer(ref.name, change);
  }

  /** Registers the rule of a kind (`doc`, `chat`, …); a kind has exactly one rule. */
  register(kind: string, rule: RoomRule): void {
    if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new Error(`invalid room kind: ${kind}`);
    if (this.rules.has(kind)) throw new Error(`room kind registered twice: ${kind}`);
    this.rules.set(kind, rule);
  }

  has(kind: string): boolean {
    return this.rules.has(kind);
  }

  /** The caller's access to `room`; `none` for malformed names and kinds without a rule. */
  async authorize(user: AccountUser, room: string): Promise<RoomAccess> {
    const colon = room.indexOf(':');
    if (colon <= 0 || colon === room.length - 1 || room.length > 200) return 'none';
    const rule = this.rules.get(room.slice(0, colon));
    if (!rule) return 'none';
    try {
      return await rule(user, room.slice(colon + 1), room);
    } catch {
      // A rule that fails closes the room rather than opening it.
      return 'none';
    }
  }
}

/**
 * The server's own room kinds:
 * - `user:<userId>` — a person's private space (drafts of opinions, settings): only that person.
 * - `chat:dm.<userA>.<userB>` — a conversation between two people: only those two.
 * - `chat:unit.<unitId>` — a unit's common conversation: every member of that unit.
 * (Room ids may not contain `:` — src/shared/rooms.ts — hence the dots.)
 */
export function registerBuiltInRoomRules(policies: RoomPolicies): void {
  policies.register('user', (user, id) => (id === user.id ? 'write' : 'none'));
  policies.register('chat', (user, id) => {
    const [scope, ...rest] = id.split('.');
    if (scope === 'dm' && rest.length === 2 && rest[0] !== rest[1]) return rest.includes(user.id) ? 'write' : 'none';
    if (scope === 'unit' && rest.length === 1) return rest[0] === user.unitId ? 'write' : 'none';
    return 'none';
  });
}
