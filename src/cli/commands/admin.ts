/**
 * `xietong admin import|passwd|disable|enable|backup|restore|crl` — what an administrator does to a
 * server's store, running or stopped (INTERFACES.md). Every subcommand takes `--data DIR` (the
 * server's data folder) and/or `--postgres URL` (a PostgreSQL store).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Accounts } from '../../sync-server/accounts/accounts';
import { backupStore, restoreStore } from '../../sync-server/admin/backup';
import { ImportRejected, importDirectory, parseImportCsv } from '../../sync-server/admin/importDirectory';
import { allMigrations } from '../../sync-server/app';
import { HttpError } from '../../sync-server/http/errors';
import { loadCrl } from '../../sync-server/exchange/crlStore';
import { openStore, SQLITE_FILE, type Database } from '../../sync-server/store/index';
import { CliError, type CliCommand } from '../command';

const USAGE = `usage:
  xietong admin import  --data DIR [--postgres URL] --csv FILE
  xietong admin list    --data DIR [--postgres URL]
  xietong admin passwd  --data DIR [--postgres URL] --user NAME
  xietong admin disable --data DIR [--postgres URL] --user NAME
  xietong admin enable  --data DIR [--postgres URL] --user NAME
  xietong admin backup  --data DIR [--postgres URL] --out PATH
  xietong admin restore --data DIR [--postgres URL] --from PATH
  xietong admin crl     --data DIR [--postgres URL] --file CRL.pem`;

interface Options {
  data?: string;
  postgres?: string;
  csv?: string;
  user?: string;
  out?: string;
  from?: string;
  file?: string;
}

function parse(argv: string[]): Options {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        postgres: { type: 'string' },
        csv: { type: 'string' },
        user: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        file: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

function need(value: string | undefined, flag: string): string {
  if (!value) throw new CliError(`${flag} is required (see xietong admin --help)`);
  return value;
}

/** Opens the store (applying migrations, as the server would) and the accounts on it. */
async function openAccounts(options: Options): Promise<{ db: Database; accounts: Accounts }> {
  if (!options.data && !options.postgres) throw new CliError(`--data DIR or --postgres URL is required (see xietong admin --help)`);
  const dataDir = resolve(options.data ?? '.');
  // An admin command never creates a store by accident in a mistyped folder.
  if (!options.postgres && !existsSync(join(dataDir, SQLITE_FILE))) throw new CliError(`no server store in ${dataDir} (is --data the server's data folder?)`, 1);
  const db = await openStore({ dataDir, ...(options.postgres ? { postgresUrl: options.postgres } : {}) }, allMigrations());
  return { db, accounts: await Accounts.open(db) };
}

/** HttpErrors from the accounts carry a Chinese message meant for people: show it as is. */
async function withAccounts<T>(options: Options, work: (opened: { db: Database; accounts: Accounts }) => Promise<T>): Promise<T> {
  const opened = await openAccounts(options);
  try {
    return await work(opened);
  } catch (error) {
    if (error instanceof HttpError) throw new CliError(error.message, 1);
    throw error;
  } finally {
    await opened.db.close();
  }
}

const subcommands: Record<string, (options: Options) => Promise<number>> = {
  async import(options) {
    const file = need(options.csv, '--csv');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new CliError(`cannot read ${file}`, 1);
    }
    try {
      const rows = parseImportCsv(text);
      const result = await withAccounts(options, ({ db, accounts }) => importDirectory(db, accounts, rows));
      console.log(`导入完成：新建 ${result.created.length} 人，更新 ${result.updated.length} 人，未改动 ${result.unchanged.length} 人，新建单位 ${result.unitsCreated.length} 个，新建部门 ${result.departmentsCreated.length} 个。`);
      if (result.created.length > 0) {
        console.log('以下一次性密码只显示这一次，请分别交给本人；首次登录须修改密码：');
        console.log('username\tname\tunit\tone-time password');
        for (const person of result.created) console.log(`${person.username}\t${person.name}\t${person.unit}\t${person.oneTimePassword}`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ImportRejected) {
        console.error(error.message);
        return 1;
      }
      throw error;
    }
  },

  async list(options) {
    const people = await withAccounts(options, ({ accounts }) => accounts.listAccounts());
    console.log('username\tname\tunit\tdepartment\troles\tstate');
    for (const p of people) {
      const state = p.disabled ? '已停用' : p.mustChangePassword ? '待改初始密码' : '正常';
      console.log([p.username, p.name, p.unitName, p.departmentName ?? '', p.roles.join(';'), state].join('\t'));
    }
    return 0;
  },

  async passwd(options) {
    const user = need(options.user, '--user');
    const password = await withAccounts(options, ({ accounts }) => accounts.resetPassword(user));
    console.log(`${user} 的一次性密码（只显示这一次，首次登录须修改）：${password}`);
    return 0;
  },

  async disable(options) {
    const user = need(options.user, '--user');
    await withAccounts(options, ({ accounts }) => accounts.setDisabled(user, true));
    console.log(`已停用 ${user}：该账号的所有登录立即失效`);
    return 0;
  },

  async enable(options) {
    const user = need(options.user, '--user');
    await withAccounts(options, ({ accounts }) => accounts.setDisabled(user, false));
    console.log(`已启用 ${user}`);
    return 0;
  },

  async backup(options) {
    const out = resolve(need(options.out, '--out'));
    if (!options.data && !options.postgres) throw new CliError(`--data DIR or --postgres URL is required (see xietong admin --help)`);
    const manifest = await backupStore({ ...(options.data ? { dataDir: resolve(options.data) } : {}), ...(options.postgres ? { postgresUrl: options.postgres } : {}) }, out);
    const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`备份完成：${out}（${manifest.store}，${manifest.tables.length} 张表，${rows} 行）`);
    return 0;
  },

  /** Loads a CRL (`xietong ca crl` output, PEM or DER) into the store: revoked signers show as 已撤销. */
  async crl(options) {
    const file = need(options.file, '--file');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new CliError(`cannot read ${file}`, 1);
    }
    const result = await withAccounts(options, ({ db, accounts }) => loadCrl(db, accounts, bytes, `file:${resolve(file)}`, Date.now()));
    if (result.unchanged) console.log(`吊销列表未变化（${result.issuer}，${result.thisUpdate}）`);
    else console.log(`已载入吊销列表：${result.issuer}，吊销证书 ${result.revokedCount} 张，发布时间 ${result.thisUpdate}${result.replaced ? '（替换了旧的）' : ''}`);
    return 0;
  },

  async restore(options) {
    const from = resolve(need(options.from, '--from'));
    if (!options.data && !options.postgres) throw new CliError(`--data DIR or --postgres URL is required (see xietong admin --help)`);
    const manifest = await restoreStore(from, { ...(options.data ? { dataDir: resolve(options.data) } : {}), ...(options.postgres ? { postgresUrl: options.postgres } : {}) });
    console.log(`恢复完成：${manifest.store} 备份（${manifest.createdAt}）已恢复；现在可以启动服务器`);
    return 0;
  },
};

const command: CliCommand = {
  async run(argv) {
    const [name, ...rest] = argv;
    if (!name || name === '--help' || name === '-h') {
      console.log(USAGE);
      return name ? 0 : 2;
    }
    const sub = subcommands[name];
    if (!sub) throw new CliError(`unknown subcommand "${name}" (see xietong admin --help)`);
    return sub(parse(rest));
  },
};

export default command;
