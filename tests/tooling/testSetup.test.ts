/**
 * `npm test` on a fresh machine: scripts/test-setup.mjs runs first and either sets the machine up
 * (root with apt-get: installs the missing Debian packages, starts PostgreSQL and Redis) or stops at
 * once with one line naming what is missing and the command that installs it. The system tools it
 * calls (id, dpkg-query, apt-get, pg_isready, pg_lsclusters, pg_ctlcluster, redis-cli, redis-server)
 * are fakes written here and are the only things on its PATH, so nothing is really installed or started.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageOf, requireTools, testDeps } from '../support/systemTools';

const root = join(import.meta.dirname, '..', '..');
const all = testDeps.packages.map((p) => p.name);

// Each fake appends "name arg…" to calls.log and keeps its state in files beside it.
const fakes: Record<string, string> = {
  id: `out(process.env.FAKE_UID + '\\n');`,
  'dpkg-query': `
    const installed = read('installed').split('\\n');
    const names = args.filter((a) => !a.startsWith('-'));
    for (const n of names) if (installed.includes(n)) out(n + ' install ok installed\\n');
    process.exitCode = names.every((n) => installed.includes(n)) ? 0 : 1;`,
  'apt-get': `
    if (args[0] === 'install') fs.appendFileSync(state('installed'), args.filter((a) => !a.startsWith('-') && a !== 'install').join('\\n') + '\\n');`,
  pg_isready: `process.exitCode = fs.existsSync(state('pg-up')) ? 0 : 2;`,
  pg_lsclusters: `out('16  main    5432 down   postgres /var/lib/postgresql/16/main /var/log/postgresql/postgresql-16-main.log\\n');`,
  pg_ctlcluster: `fs.writeFileSync(state('pg-up'), '');`,
  'redis-cli': `if (fs.existsSync(state('redis-up'))) out('PONG\\n'); else { out('Could not connect to Redis\\n'); process.exitCode = 1; }`,
  'redis-server': `fs.writeFileSync(state('redis-up'), '');`,
};

let dir: string;
let bin: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xietong-test-setup-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const [name, body] of Object.entries(fakes)) {
    const file = join(bin, name);
    writeFileSync(
      file,
      `#!${process.execPath}\nconst fs = require('node:fs');\nconst args = process.argv.slice(2);\n` +
        `const state = (f) => require('node:path').join(process.env.FAKE_STATE, f);\n` +
        `const read = (f) => (fs.existsSync(state(f)) ? fs.readFileSync(state(f), 'utf8') : '');\n` +
        `const out = (s) => process.stdout.write(s);\n` +
        `fs.appendFileSync(state('calls.log'), [${JSON.stringify(name)}, ...args].join(' ') + '\\n');\n${body}\n`,
    );
    chmodSync(file, 0o755);
  }
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Machine {
  readonly uid: number;
  readonly installed: readonly string[];
  readonly postgres: boolean;
  readonly redis: boolean;
}

function setup(machine: Machine, ...args: string[]) {
  writeFileSync(join(dir, 'installed'), machine.installed.join('\n') + '\n');
  if (machine.postgres) writeFileSync(join(dir, 'pg-up'), '');
  if (machine.redis) writeFileSync(join(dir, 'redis-up'), '');
  const started = performance.now();
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'test-setup.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    // Only the fakes are on PATH: no real apt-get can be reached.
    env: {
      PATH: bin,
      FAKE_STATE: dir,
      FAKE_UID: String(machine.uid),
      XIETONG_TEST_POSTGRES: 'postgres://postgres@127.0.0.1:5432/test',
      XIETONG_TEST_REDIS: 'redis://127.0.0.1:6379',
    },
  });
  const calls = existsSync(join(dir, 'calls.log')) ? readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n') : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls, ms: performance.now() - started };
}

const without = (...names: string[]) => all.filter((n) => !names.includes(n));

describe('npm test sets up the machine first (scripts/test-setup.mjs)', () => {
  it('as root with apt-get: installs exactly the missing packages, starts PostgreSQL and Redis, says so in one line', () => {
    const run = setup({ uid: 0, installed: without('opensc', 'fonts-arphic-ukai'), postgres: false, redis: false });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.calls).toContain('apt-get update -qq');
    expect(run.calls).toContain('apt-get install -y -qq opensc fonts-arphic-ukai');
    expect(run.calls).toContain('pg_ctlcluster --skip-systemctl-redirect 16 main start');
    expect(run.calls.some((c) => c.startsWith('redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379'))).toBe(true);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^test setup: installed opensc fonts-arphic-ukai \(apt-get, .+\); started PostgreSQL 16\/main; started Redis \(/);
  });

  it('not root: stops within seconds with one line naming each missing package and the install command', () => {
    const run = setup({ uid: 1000, installed: without('opensc', 'fonts-arphic-ukai'), postgres: true, redis: true });
    expect(run.status).toBe(1);
    expect(run.ms).toBeLessThan(5_000);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('missing Debian packages opensc fonts-arphic-ukai');
    expect(run.stderr).toContain('`sudo apt-get install -y opensc fonts-arphic-ukai`');
    expect(run.calls.filter((c) => c.startsWith('apt-get'))).toEqual([]);
  });

  it('root without apt-get: names the packages and the command, installs nothing', () => {
    rmSync(join(bin, 'apt-get'));
    const run = setup({ uid: 0, installed: without('qpdf'), postgres: true, redis: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^test setup: missing Debian packages qpdf: install them with `apt-get install -y qpdf` \(apt-get is not on PATH\)\n$/);
  });

  it('not root with PostgreSQL down: says how to start it, in the same one line', () => {
    const run = setup({ uid: 1000, installed: all, postgres: false, redis: true });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('`sudo pg_ctlcluster 16 main start`');
    expect(run.calls.filter((c) => c.startsWith('pg_ctlcluster'))).toEqual([]);
  });

  it('with everything present: one dpkg-query call for every package, nothing installed or started', () => {
    const run = setup({ uid: 1000, installed: all, postgres: true, redis: true });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('dpkg-query'))).toEqual([`dpkg-query -W -f=\${Package} \${Status}\\n ${all.join(' ')}`]);
    expect(run.calls.filter((c) => /^(apt-get|pg_ctlcluster|redis-server|id)\b/.test(c))).toEqual([]);
    expect(run.stdout).toMatch(new RegExp(`^test setup: ${all.length} Debian packages present; PostgreSQL running; Redis running \\(`));
  });

  it('--before-npm-ci (.ci/run): installs only the compiler the addon build needs, and touches no service', () => {
    const run = setup({ uid: 0, installed: [], postgres: false, redis: false }, '--before-npm-ci');
    expect(run.status).toBe(0);
    expect(run.calls).toContain('apt-get install -y -qq gcc libc6-dev');
    expect(run.calls.filter((c) => /^(pg_|redis)/.test(c))).toEqual([]);
    expect(run.stdout).toMatch(/^ci setup: installed gcc libc6-dev/);
  });
});

describe('the README command is the CI command', () => {
  it('npm test runs the setup first; .ci/run installs only the pre-npm-ci packages itself and then runs npm test', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.test).toMatch(/^node scripts\/test-setup\.mjs && /);
    const ci = readFileSync(join(root, '.ci', 'run'), 'utf8');
    const commands = ci.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    // No package list, apt-get or service start of its own: all of that is npm test's.
    expect(ci).not.toMatch(/apt-get|dpkg-query|pg_ctlcluster|redis-server/);
    const order = ['node scripts/test-setup.mjs --before-npm-ci', 'npm ci', 'npm run typecheck', 'npm run lint', 'npm test'];
    const at = order.map((command) => commands.findIndex((line) => line.trim().startsWith(command)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });
});

describe('a test that needs a missing tool fails with one clear line', () => {
  it('names the tool, its Debian package and the install command', () => {
    expect(packageOf('pkcs11-tool')).toBe('opensc');
    expect(() => requireTools('openssl', 'xietong-no-such-tool', '/usr/share/fonts/truetype/arphic/no-such.ttc')).toThrow(
      /^this test needs xietong-no-such-tool, \/usr\/share\/fonts\/truetype\/arphic\/no-such\.ttc, which is not installed$/,
    );
    const saved = process.env.PATH;
    process.env.PATH = bin;
    try {
      expect(() => requireTools('pkcs11-tool')).toThrow(
        'this test needs pkcs11-tool (Debian package opensc), which is not installed: `npm test` as root installs it, or `sudo apt-get install -y opensc`',
      );
    } finally {
      process.env.PATH = saved;
    }
  });
});
