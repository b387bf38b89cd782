/**
 * Logs an administrator can collect: size-capped rotation, and the 导出诊断信息 archive, which must
 * open with ordinary unzip tools and must not carry a token, password or private key even when the
 * logs on disk do.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiagnosticsHandlers, createDiagnosticsService, createZip } from '../../src/main/services/diagnostics';
import { redactSecrets, redactValue, RotatingLog } from '../../src/main/services/logging';
import { apiContract } from '../../src/shared/api';
import { createDispatcher } from '../../src/main/services/api/dispatcher';
import { needs, requireTools } from '../support/systemTools';

/** Reads a zip through its central directory, as unzip tools do. */
function readZip(archive: Buffer): Map<string, string> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let index = 0; index < count; index += 1) {
    expect(archive.readUInt32LE(offset)).toBe(0x02014b50);
    const method = archive.readUInt16LE(offset + 10);
    const compressed = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const local = archive.readUInt32LE(offset + 42);
    const name = archive.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const body = archive.subarray(dataStart, dataStart + compressed);
    files.set(name, (method === 8 ? inflateRawSync(body) : body).toString('utf8'));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}


describe('rotating log files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates by size and keeps at most N files, newest content in main.log', () => {
    const log = new RotatingLog({ dir, maxBytes: 2048, maxFiles: 3 });
    const logger = log.logger('test');
    for (let index = 0; index < 400; index += 1) logger.info(`line ${index} ${'x'.repeat(40)}`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    for (const file of files) expect(statSync(join(dir, file)).size).toBeLessThanOrEqual(2048);
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('line 399');
    expect(readFileSync(join(dir, 'main.2.log'), 'utf8')).not.toContain('line 0 ');
  });

  it('continues the size count of an existing file after a restart', () => {
    new RotatingLog({ dir, maxBytes: 1024, maxFiles: 2 }).logger().info('a'.repeat(900));
    new RotatingLog({ dir, maxBytes: 1024, maxFiles: 2 }).logger().info('b'.repeat(900));
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toContain('aaaa');
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('bbbb');
  });

  it('writes level, scope and error details, and drops lines below the level', () => {
    const log = new RotatingLog({ dir, level: 'info' });
    const logger = log.logger('main').child('updater');
    logger.debug('not written');
    logger.error('check failed', new Error('ECONNREFUSED 10.0.0.1:443'));
    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(text).not.toContain('not written');
    expect(text).toMatch(/ERROR \[main:updater\] check failed Error: ECONNREFUSED 10\.0\.0\.1:443/);
  });

  it('never writes a password or token it is handed', () => {
    const log = new RotatingLog({ dir });
    log.logger().info('login', { username: 'li', password: 'demo1234', token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsaSJ9.c2lnbmF0dXJlMTIz' });
    log.logger().info('GET /api/documents Authorization: Bearer abcdef0123456789');
    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(text).toContain('"username":"li"');
    expect(text).not.toContain('demo1234');
    expect(text).not.toContain('eyJzdWIiOiJsaSJ9');
    expect(text).not.toContain('abcdef0123456789');
  });
});

describe('redaction', () => {
  it('hides every kind of secret the client handles and leaves ordinary text alone', () => {
    const privateKey = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----';
    const text = [
      'xietong sign in.pdf --p12 li.p12 --password s3cret-pw --out out.pdf',
      'url=https://oa/sync/doc:1?token=tok_live_123456&room=doc:1',
      '{"password":"p\\"w","newPassword":"n3w","otp":"998877"}',
      `key: ${privateKey}`,
      'XIETONG_P12_PASSWORD=hunter22',
      '王建国 签发了 〔2026〕12号',
    ].join('\n');
    const out = redactSecrets(text);
    for (const secret of ['s3cret-pw', 'tok_live_123456', 'p\\"w', 'n3w', '998877', 'MIIFHDBOBgkq', 'hunter22']) expect(out).not.toContain(secret);
    expect(out).toContain('王建国 签发了 〔2026〕12号');
    expect(out).toContain('room=doc:1');
    expect(out).toContain('--p12 li.p12');
  });

  it('redacts secret-named keys in objects at any depth', () => {
    expect(redactValue({ serverUrl: 'https://oa', session: { accessToken: 'abc', user: 'li' }, list: [{ pin: '1234' }] })).toEqual({
      serverUrl: 'https://oa',
      session: { accessToken: '[已隐藏]', user: 'li' },
      list: [{ pin: '[已隐藏]' }],
    });
  });
});

describe('导出诊断信息', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-diag-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const planted = {
    password: 'Pl4nted-Passw0rd',
    token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ6aGFvIn0.UGxhbnRlZFNpZ25hdHVyZQ',
    bearer: 'Bearer plantedbearer0123456789',
    pem: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDPlanted\n-----END PRIVATE KEY-----',
    p12: `MII${'K'.repeat(120)}==`,
  };

  function plantLogs(logDir: string): void {
    mkdirSync(logDir, { recursive: true });
    // Written behind the logger's back, as an old version or another tool might have.
    appendFileSync(join(logDir, 'main.log'), `2026-01-01T00:00:00Z INFO [session] login {"username":"zhao","password":"${planted.password}"}\n`);
    appendFileSync(join(logDir, 'main.log'), `2026-01-01T00:00:01Z INFO [http] GET /api/documents Authorization: ${planted.bearer}\n`);
    appendFileSync(join(logDir, 'main.1.log'), `2026-01-01T00:00:02Z INFO [sync] ws://oa/sync/doc:7?token=${planted.token}\n${planted.pem}\n`);
    appendFileSync(join(logDir, 'main.1.log'), `2026-01-01T00:00:03Z DEBUG [sign] p12=${planted.p12}\n2026-01-01T00:00:04Z INFO [sign] 签章成功 doc:7\n`);
    appendFileSync(join(logDir, 'notes.txt'), 'not a log file');
  }

  const service = (logDir: string, outputDir: string) =>
    createDiagnosticsService({
      logDirs: [logDir],
      outputDir,
      about: () => ({ appVersion: '0.1.0', electronVersion: '45.4.1', nodeVersion: process.version, platform: 'linux', arch: 'x64', serverUrl: 'https://oa.example.gov.cn' }),
      configs: () => ({
        'deployment.json': { serverUrl: 'https://oa.example.gov.cn', policies: { rememberPassword: false } },
        'session.json': { user: 'zhao', token: planted.token, password: planted.password },
      }),
      now: () => new Date(2026, 10, 22, 9, 30, 5),
    });

  it('zips logs, versions and configuration with no token, password or key left in it', async () => {
    const logDir = join(dir, 'logs');
    plantLogs(logDir);
    const result = await service(logDir, join(dir, 'out')).export();

    expect(result.fileName).toBe('xietong-diagnostics-20261122-093005.zip');
    expect(existsSync(result.path)).toBe(true);
    const archive = readFileSync(result.path);
    expect(result.sizeBytes).toBe(archive.length);
    const files = readZip(archive);
    expect([...files.keys()].sort()).toEqual(['README.txt', 'config/deployment.json', 'config/session.json', 'logs/main.1.log', 'logs/main.log', 'versions.json'].sort());
    expect(result.entries.sort()).toEqual([...files.keys()].sort());

    const everything = [...files.values()].join('\n') + archive.toString('latin1');
    for (const secret of [planted.password, 'eyJzdWIiOiJ6aGFvIn0', 'plantedbearer0123456789', 'MIIEvQIBADANBg', planted.p12]) {
      expect(everything).not.toContain(secret);
    }
    // What the administrator needs is still there.
    expect(files.get('logs/main.1.log')).toContain('签章成功 doc:7');
    expect(files.get('logs/main.log')).toContain('"username":"zhao"');
    expect(JSON.parse(files.get('versions.json')!)).toMatchObject({ appVersion: '0.1.0', electronVersion: '45.4.1', platform: 'linux' });
    expect(JSON.parse(files.get('config/session.json')!)).toEqual({ user: 'zhao', token: '[已隐藏]', password: '[已隐藏]' });
  });

  it(`opens with unzip, Chinese names and all ${needs('unzip')}`, () => {
    requireTools('unzip');
    const zip = join(dir, 'names.zip');
    const archive = createZip([
      { name: '说明.txt', data: '协同办公' },
      { name: 'logs/big.log', data: 'line\n'.repeat(10_000) },
    ]);
    rmSync(zip, { force: true });
    appendFileSync(zip, archive);
    const test = spawnSync('unzip', ['-t', zip], { encoding: 'utf8' });
    expect(test.status).toBe(0);
    expect(test.stdout).toContain('No errors detected');
    expect(spawnSync('unzip', ['-p', zip, 'logs/big.log'], { encoding: 'utf8' }).stdout).toBe('line\n'.repeat(10_000));
    expect(readZip(archive).get('说明.txt')).toBe('协同办公');
  });

  it('refuses entry names that would escape the folder they are unpacked into', () => {
    expect(() => createZip([{ name: '../evil.txt', data: 'x' }])).toThrow(/invalid zip entry name/);
    expect(() => createZip([{ name: '/etc/passwd', data: 'x' }])).toThrow(/invalid zip entry name/);
  });

  it('is reachable as the diagnostics:export call and reports failure as data', async () => {
    const logDir = join(dir, 'logs');
    plantLogs(logDir);
    const working = createDiagnosticsHandlers(service(logDir, join(dir, 'out')));
    const dispatcher = createDispatcher(
      apiContract,
      { diagnostics: working } as never,
      {},
    );
    const result = await dispatcher.dispatch('diagnostics:export', {});
    expect(result.ok).toBe(true);
    expect(await dispatcher.dispatch('diagnostics:export', { path: '/etc' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    // An output folder that is a file: the person gets a message, not a crash.
    appendFileSync(join(dir, 'blocked'), 'file');
    const failing = createDispatcher(apiContract, { diagnostics: createDiagnosticsHandlers(service(logDir, join(dir, 'blocked'))) } as never, {});
    const failed = await failing.dispatch('diagnostics:export', {});
    expect(failed).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(failed.ok ? '' : failed.error.message).toMatch(/^导出诊断信息失败/);
  });
});
