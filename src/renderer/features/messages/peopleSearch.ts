/**
 * Finding people in the organisation directory by name, by pinyin initials (`wjg` finds 王建国) or
 * by unit name — what 新建会话 offers.
 */
import { pinyin } from 'pinyin-pro';
import type { DirectoryUnit, DirectoryUser } from '../../../shared/http/directory';

/** The initials of a Chinese name, lower case (王建国 → wjg); other letters kept as they are. */
export function pinyinInitials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();
}

/** People matching `query` (name, initials or unit), directory order; everyone for an empty query. */
export function searchPeople(query: string, users: readonly DirectoryUser[], units: readonly DirectoryUnit[]): DirectoryUser[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...users];
  const unitName = new Map(units.map((unit) => [unit.id, unit.name]));
  return users.filter((user) => user.name.includes(q) || pinyinInitials(user.name).startsWith(q) || user.username.startsWith(q) || (unitName.get(user.unitId) ?? '').includes(query.trim()));
}
