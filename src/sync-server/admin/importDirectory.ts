/**
 * `xietong admin import`: units, departments and people from CSV with the header
 * `unit,department,username,name,roles` (roles separated by `;`; an optional `organCode` column sets
 * a new unit's short organ code for 发文字号).
 *
 * All or nothing: every row is checked first and any error stops the import with one message per
 * row, before anything is written. Then one transaction creates what is missing. New people get a
 * one-time password (returned here, printed once by the command) they must change at first login.
 * A person already present with the same name and unit keeps their password and sessions; their
 * department and roles are set to the file's (that is how an admin changes roles). One present with
 * a different name or unit is an error: an import never moves or renames people.
 */
import { RoleSchema, type Role } from '../../shared/domain/roles';
import type { Accounts } from '../accounts/accounts';
import { USERNAME_PATTERN, normaliseUsername } from '../accounts/accounts';
import { generateOneTimePassword, hashOneTimePassword } from '../accounts/passwords';
import type { Database } from '../store/database';
import { parseCsv } from './csv';

export const IMPORT_HEADER = ['unit', 'department', 'username', 'name', 'roles'] as const;

export interface ImportRow {
  line: number;
  unit: string;
  organCode: string | null;
  department: string | null;
  username: string;
  name: string;
  roles: Role[];
}

export interface ImportResult {
  created: { username: string; name: string; unit: string; oneTimePassword: string }[];
  unchanged: string[];
  /** Existing people whose department or roles the file changed. */
  updated: string[];
  unitsCreated: string[];
  departmentsCreated: string[];
}

/** Errors of a CSV that was not imported, one per problem, each naming its line. */
export class ImportRejected extends Error {
  constructor(readonly problems: string[]) {
    super(`导入未执行：${problems.length} 处错误\n${problems.join('\n')}`);
    this.name = 'ImportRejected';
  }
}

/** Parses and checks the CSV text; throws ImportRejected listing every problem. */
export function parseImportCsv(text: string): ImportRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    throw new ImportRejected([error instanceof Error ? error.message : String(error)]);
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportRejected(['文件为空（第一行应为表头 unit,department,username,name,roles）']);
  const columns = header.fields.map((f) => f.trim());
  const missing = IMPORT_HEADER.filter((name) => !columns.includes(name));
  const unknown = columns.filter((name) => !(IMPORT_HEADER as readonly string[]).includes(name) && name !== 'organCode');
  if (missing.length > 0 || unknown.length > 0) {
    throw new ImportRejected([
      `第 ${header.line} 行：表头应为 unit,department,username,name,roles（可加 organCode）` +
        (missing.length ? `，缺少 ${missing.join(', ')}` : '') +
        (unknown.length ? `，不认识 ${unknown.join(', ')}` : ''),
    ]);
  }
  const at = (fields: string[], name: string): string => (fields[columns.indexOf(name)] ?? '').trim();
  const problems: string[] = [];
  const parsed: ImportRow[] = [];
  const seen = new Map<string, number>();
  if (rows.length === 0) problems.push('文件中没有人员（表头之后没有数据行）');
  for (const record of rows) {
    const where = `第 ${record.line} 行`;
    if (record.fields.length !== columns.length) {
      problems.push(`${where}：应有 ${columns.length} 列，实际 ${record.fields.length} 列`);
      continue;
    }
    const unit = at(record.fields, 'unit');
    const username = normaliseUsername(at(record.fields, 'username'));
    const name = at(record.fields, 'name');
    const roleTexts = at(record.fields, 'roles').split(';').map((r) => r.trim()).filter(Boolean);
    const rowProblems: string[] = [];
    if (!unit) rowProblems.push('单位（unit）为空');
    if (!USERNAME_PATTERN.test(username)) rowProblems.push(`用户名“${at(record.fields, 'username')}”无效（只能包含小写字母、数字、点、横线和下划线）`);
    if (!name) rowProblems.push('姓名（name）为空');
    if (name.length > 50) rowProblems.push('姓名过长');
    if (roleTexts.length === 0) rowProblems.push('角色（roles）为空');
    const roles: Role[] = [];
    for (const text of roleTexts) {
      const role = RoleSchema.safeParse(text);
      if (role.success) roles.push(role.data);
      else rowProblems.push(`角色“${text}”无效（可用：${RoleSchema.options.join('、')}）`);
    }
    const earlier = seen.get(username);
    if (username && earlier !== undefined) rowProblems.push(`用户名 ${username} 与第 ${earlier} 行重复`);
    if (username) seen.set(username, record.line);
    if (rowProblems.length > 0) {
      problems.push(`${where}：${rowProblems.join('；')}`);
      continue;
    }
    const department = at(record.fields, 'department');
    const organCode = columns.includes('organCode') ? at(record.fields, 'organCode') : '';
    parsed.push({ line: record.line, unit, organCode: organCode || null, department: department || null, username, name, roles: [...new Set(roles)] });
  }
  if (problems.length > 0) throw new ImportRejected(problems);
  return parsed;
}

/** Imports checked rows; throws ImportRejected (nothing written) when a row conflicts with the store. */
export async function importDirectory(db: Database, accounts: Accounts, rows: readonly ImportRow[]): Promise<ImportResult> {
  const problems: string[] = [];
  const toCreate: ImportRow[] = [];
  const toUpdate: ImportRow[] = [];
  const unchanged: string[] = [];
  for (const row of rows) {
    const existing = await accounts.userByUsername(row.username);
    if (!existing) toCreate.push(row);
    else if (existing.name === row.name && existing.unitName === row.unit) {
      const sameRoles = [...existing.roles].sort().join(';') === [...row.roles].sort().join(';');
      if (sameRoles && (existing.departmentName ?? null) === row.department) unchanged.push(row.username);
      else toUpdate.push(row);
    } else problems.push(`第 ${row.line} 行：用户名 ${row.username} 已属于 ${existing.unitName} 的 ${existing.name}，导入不会改动已有人员`);
  }
  if (problems.length > 0) throw new ImportRejected(problems);

  // scrypt before the transaction: the store stays unlocked while passwords are hashed.
  const secrets = await Promise.all(
    toCreate.map(async () => {
      const oneTimePassword = generateOneTimePassword();
      return { oneTimePassword, hash: await hashOneTimePassword(oneTimePassword) };
    }),
  );
  const result: ImportResult = { created: [], unchanged, updated: [], unitsCreated: [], departmentsCreated: [] };
  await db.transaction(async (tx) => {
    for (const row of toUpdate) {
      const unit = await accounts.ensureUnit(row.unit, row.organCode, tx);
      let departmentId: string | null = null;
      if (row.department) {
        const department = await accounts.ensureDepartment(unit.id, row.department, tx);
        if (department.created) result.departmentsCreated.push(`${row.unit}/${row.department}`);
        departmentId = department.id;
      }
      await accounts.updatePlacement(row.username, { departmentId, roles: row.roles }, tx);
      result.updated.push(row.username);
    }
    for (const [i, row] of toCreate.entries()) {
      const unit = await accounts.ensureUnit(row.unit, row.organCode, tx);
      if (unit.created) result.unitsCreated.push(row.unit);
      let departmentId: string | null = null;
      if (row.department) {
        const department = await accounts.ensureDepartment(unit.id, row.department, tx);
        if (department.created) result.departmentsCreated.push(`${row.unit}/${row.department}`);
        departmentId = department.id;
      }
      const secret = secrets[i]!;
      await accounts.createUser({ username: row.username, name: row.name, unitId: unit.id, departmentId, roles: row.roles, prehashed: secret, mustChangePassword: true }, tx);
      result.created.push({ username: row.username, name: row.name, unit: row.unit, oneTimePassword: secret.oneTimePassword });
    }
  });
  return result;
}
