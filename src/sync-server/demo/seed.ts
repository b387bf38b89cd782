/**
 * The demo organisation of INTERFACES.md, seeded only into an empty store (`--demo`, `npm run web`).
 * Ids are fixed so the demo is the same on every machine (tests and screenshots can name people).
 */
import type { Role } from '../../shared/domain/roles';
import type { Accounts } from '../accounts/accounts';
import type { Database } from '../store/database';

export const DEMO_PASSWORD = 'demo1234';

export const demoUnits = [
  { id: 'unit-szfb', name: '市政府办公室', organCode: '市政办', departments: [
    { id: 'dept-szfb-mishu', name: '秘书科' },
    { id: 'dept-szfb-wendian', name: '文电科' },
  ] },
  { id: 'unit-sfgw', name: '市发展和改革委员会', organCode: '市发改', departments: [
    { id: 'dept-sfgw-bgs', name: '办公室' },
    { id: 'dept-sfgw-zhgh', name: '综合规划科' },
  ] },
  // Receiving units for 公文交换 (issue 20): the district governments and some city organs, so 分发
  // chooses among groups (各区人民政府, 市政府各部门). Their clerks come with the unit's own import.
  { id: 'unit-ccq', name: '禅城区人民政府', organCode: '禅府', departments: [] },
  { id: 'unit-nhq', name: '南海区人民政府', organCode: '南府', departments: [] },
  { id: 'unit-sdq', name: '顺德区人民政府', organCode: '顺府', departments: [] },
  { id: 'unit-gmq', name: '高明区人民政府', organCode: '明府', departments: [] },
  { id: 'unit-ssq', name: '三水区人民政府', organCode: '三府', departments: [] },
  { id: 'unit-sjyj', name: '市教育局', organCode: '市教', departments: [] },
  { id: 'unit-sgaj', name: '市公安局', organCode: '市公', departments: [] },
  { id: 'unit-swjj', name: '市卫生健康局', organCode: '市卫健', departments: [] },
  { id: 'unit-szjj', name: '市住房和城乡建设局', organCode: '市住建', departments: [] },
  { id: 'unit-sstj', name: '市生态环境局', organCode: '市环', departments: [] },
] as const;

export const demoPeople: readonly { username: string; name: string; unitId: string; departmentId: string | null; roles: Role[] }[] = [
  { username: 'admin', name: '系统管理员', unitId: 'unit-szfb', departmentId: null, roles: ['admin'] },
  { username: 'wang', name: '王建国', unitId: 'unit-szfb', departmentId: null, roles: ['leader'] },
  { username: 'li', name: '李文', unitId: 'unit-szfb', departmentId: 'dept-szfb-mishu', roles: ['staff'] },
  { username: 'zhao', name: '赵敏', unitId: 'unit-szfb', departmentId: 'dept-szfb-wendian', roles: ['clerk'] },
  { username: 'chen', name: '陈静', unitId: 'unit-sfgw', departmentId: 'dept-sfgw-bgs', roles: ['clerk'] },
  { username: 'liu', name: '刘强', unitId: 'unit-sfgw', departmentId: null, roles: ['leader'] },
  { username: 'sun', name: '孙磊', unitId: 'unit-sfgw', departmentId: 'dept-sfgw-zhgh', roles: ['staff'] },
];

/** Demo user ids are `user-<username>`. */
export const demoUserId = (username: string): string => `user-${username}`;

/**
 * Seeds units, departments and people in one transaction when the store has no people yet.
 * Resolves to true when it seeded, false when the store was not empty (nothing changed).
 */
export async function seedDemoAccounts(db: Database, accounts: Accounts): Promise<boolean> {
  return db.transaction(async (tx) => {
    // Two instances starting together on one PostgreSQL database: the second waits, then finds people.
    if (tx.dialect === 'postgres') await tx.get('SELECT pg_advisory_xact_lock(?)', [0x78_74_64_6d]);
    const count = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM users');
    if (Number(count?.n ?? 0) > 0) return false;
    for (const unit of demoUnits) {
      await accounts.ensureUnit(unit.name, unit.organCode, tx, unit.id);
      for (const department of unit.departments) await accounts.ensureDepartment(unit.id, department.name, tx, department.id);
    }
    for (const person of demoPeople) {
      await accounts.createUser({ ...person, id: demoUserId(person.username), password: DEMO_PASSWORD, mustChangePassword: false }, tx);
    }
    return true;
  });
}
