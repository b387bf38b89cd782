// Sets up what `npm test` needs before any test runs, so a fresh clone passes with the README's command:
// the Debian packages in scripts/test-deps.json (one dpkg-query call for all of them), PostgreSQL and
// Redis. As root with apt-get it installs what is missing and starts the services; otherwise it stops
// at once with one line naming each missing package and the command that installs them, instead of
// letting a test fail deep inside the run. Prints one line either way.
//
//   node scripts/test-setup.mjs                 what `npm test` runs first
//   node scripts/test-setup.mjs --before-npm-ci only the packages `npm ci` itself needs (.ci/run)
//
// Every tool is found on PATH (dpkg-query, id, apt-get, pg_isready, pg_lsclusters, pg_ctlcluster,
// redis-cli, redis-server), so tests/tooling/testSetup.test.ts runs both paths with fake executables.
// PostgreSQL and Redis are the ones the tests use: XIETONG_TEST_POSTGRES and XIETONG_TEST_REDIS.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const started = performance.now();
const beforeNpmCi = process.argv.includes('--before-npm-ci');
const label = beforeNpmCi ? 'ci setup' : 'test setup';
/** @type {{ packages: Array<{ name: string, beforeNpmCi?: boolean }> }} */
const deps = JSON.parse(readFileSync(new URL('./test-deps.json', import.meta.url), 'utf8'));
const wanted = deps.packages.filter((p) => !beforeNpmCi || p.beforeNpmCi).map((p) => p.name);

/** Whether an executable of this name is on PATH (no process started: this runs on every `npm test`). */
function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

function run(command, args, timeoutMs, env = process.env) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, env });
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/** The last non-empty line a failed command printed: enough to say why in one line. */
function why(result) {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? result.error?.message ?? 'no output';
}

/** The packages of `names` not installed, from one dpkg-query call; undefined where there is no dpkg. */
function missingPackages(names) {
  if (!onPath('dpkg-query')) return undefined;
  // Exits 1 when a package is unknown to dpkg; its stdout still lists the known ones.
  const result = run('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...names], 10_000);
  const installed = new Set(
    result.stdout.split('\n').filter((line) => line.endsWith(' install ok installed')).map((line) => line.split(' ')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

const isRoot = () => run('id', ['-u'], 5_000).stdout.trim() === '0';
const seconds = (ms) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function fail(problems) {
  console.error(`${label}: ${problems.join('; ')}`);
  process.exit(1);
}

const did = [];
const problems = [];
let root;

const missing = missingPackages(wanted);
if (missing === undefined) {
  did.push(`no dpkg-query here, so the Debian packages were not checked (the tests need ${wanted.join(' ')})`);
} else if (missing.length === 0) {
  did.push(`${wanted.length} Debian packages present`);
} else if ((root = isRoot()) && onPath('apt-get')) {
  const t0 = performance.now();
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = run('apt-get', ['update', '-qq'], 10 * 60_000, env);
  if (!update.ok) fail([`apt-get update failed (${why(update)}), so ${missing.join(' ')} could not be installed`]);
  const install = run('apt-get', ['install', '-y', '-qq', ...missing], 30 * 60_000, env);
  const still = install.ok ? missingPackages(missing) ?? [] : missing;
  if (still.length > 0) fail([`apt-get install ${still.join(' ')} failed (${why(install)})`]);
  did.push(`installed ${missing.join(' ')} (apt-get, ${seconds(performance.now() - t0)})`);
} else {
  const sudo = root ? '' : 'sudo ';
  problems.push(
    `missing Debian packages ${missing.join(' ')}: install them with \`${sudo}apt-get install -y ${missing.join(' ')}\`` +
      (root ? ' (apt-get is not on PATH)' : ' (or run npm test as root, which installs them)'),
  );
}

if (!beforeNpmCi) {
  await postgres();
  await redis();
}

if (problems.length > 0) fail(problems);
console.log(`${label}: ${did.join('; ')} (${seconds(performance.now() - started)})`);

/** Polls `ready` every 250 ms for up to 30 s after a start. */
async function waitUntil(ready) {
  for (let i = 0; i < 120; i += 1) {
    if (ready()) return true;
    await sleep(250);
  }
  return false;
}

function isLoopback(host) {
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

async function postgres() {
  const url = new URL(process.env.XIETONG_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test');
  const host = url.hostname;
  const port = url.port || '5432';
  const where = `${host}:${port}`;
  if (!onPath('pg_isready')) {
    problems.push(`PostgreSQL's pg_isready is not on PATH, so PostgreSQL on ${where} could not be checked (Debian: apt-get install -y postgresql)`);
    return;
  }
  const ready = () => run('pg_isready', ['-h', host, '-p', port, '-t', '2'], 5_000).ok;
  if (ready()) {
    did.push('PostgreSQL running');
    return;
  }
  // Debian's postgresql-common: start the cluster that listens on the tests' port.
  const cluster = isLoopback(host) && onPath('pg_lsclusters') && onPath('pg_ctlcluster')
    ? run('pg_lsclusters', ['-h'], 5_000).stdout.split('\n').map((line) => line.trim().split(/\s+/)).find((f) => f[2] === port)
    : undefined;
  if (!cluster) {
    problems.push(`PostgreSQL is not running on ${where} and no cluster here listens there (Debian: apt-get install -y postgresql)`);
    return;
  }
  const [version, name] = cluster;
  root ??= isRoot();
  if (!root) {
    problems.push(`PostgreSQL is not running on ${where}: start it with \`sudo pg_ctlcluster ${version} ${name} start\``);
    return;
  }
  const start = run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start'], 60_000);
  if (!(await waitUntil(ready))) {
    problems.push(`PostgreSQL ${version}/${name} did not start on ${where} (${why(start)})`);
    return;
  }
  did.push(`started PostgreSQL ${version}/${name}`);
}

async function redis() {
  const url = new URL(process.env.XIETONG_TEST_REDIS ?? 'redis://127.0.0.1:6379');
  const host = url.hostname;
  const port = url.port || '6379';
  const where = `${host}:${port}`;
  if (!onPath('redis-cli')) {
    problems.push(`redis-cli is not on PATH, so Redis on ${where} could not be checked (Debian: apt-get install -y redis-server)`);
    return;
  }
  const ready = () => run('redis-cli', ['-h', host, '-p', port, 'ping'], 5_000).stdout.trim() === 'PONG';
  if (ready()) {
    did.push('Redis running');
    return;
  }
  if (!isLoopback(host) || !onPath('redis-server')) {
    problems.push(`Redis is not running on ${where} (Debian: apt-get install -y redis-server)`);
    return;
  }
  // A throw-away instance for tests: loopback only, nothing persisted.
  const start = run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', port, '--save', '', '--appendonly', 'no'], 30_000);
  if (!(await waitUntil(ready))) {
    problems.push(`Redis did not start on ${where} (${why(start)})`);
    return;
  }
  did.push('started Redis');
}
