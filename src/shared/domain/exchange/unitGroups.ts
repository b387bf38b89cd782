/**
 * Groups of receiving units for 分发, derived from the directory's unit names (the directory has no
 * group field; names follow the national naming of organs): 各区人民政府 are the district (and county)
 * governments, 市政府各部门 the city's own organs (市…), everything else 其他单位.
 */

export const UNIT_GROUPS = ['districts', 'departments', 'others'] as const;
export type UnitGroup = (typeof UNIT_GROUPS)[number];

export const unitGroupLabels: Record<UnitGroup, string> = {
  districts: '各区人民政府',
  departments: '市政府各部门',
  others: '其他单位',
};

/** The group a unit belongs to, from its name. */
export function unitGroupOf(name: string): UnitGroup {
  if (/[区县]人民政府$/.test(name)) return 'districts';
  if (name.startsWith('市')) return 'departments';
  return 'others';
}

/** Whether a unit's name or organ code matches what a person typed (case-insensitive, trimmed). */
export function unitMatches(unit: { name: string; organCode?: string }, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  return unit.name.toLowerCase().includes(q) || (unit.organCode ?? '').toLowerCase().includes(q);
}
