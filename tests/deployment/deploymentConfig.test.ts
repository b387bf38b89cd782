/**
 * deployment.json as an administrator meets it: where the app looks, what a valid file gives, what a
 * broken one says, and which personal settings the policy lets through.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createUserSettingsStore,
  deploymentCandidates,
  DeploymentConfigError,
  loadDeployment,
  parseDeploymentConfig,
  systemDeploymentPath,
} from '../../src/main/services/deployment';
import { DeploymentConfigSchema, lockedSettings, resolveEffectiveSettings, type DeploymentConfig } from '../../src/shared/deployment';

/** A self-signed certificate as PEM; `ca` decides the basicConstraints flag. */
function certificatePem(ca: boolean): string {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ shortName: 'CN', value: ca ? 'Test Root' : 'Test Leaf' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: ca }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

const sample = (root: string) => ({
  serverUrl: 'https://oa.example.gov.cn:8443',
  organisationName: '某市人民政府办公室',
  trustedRoots: [root],
  tsaUrl: 'http://tsa.example.gov.cn/tsr',
  updateUrl: 'https://oa.example.gov.cn/updates/',
  fonts: { fangsong: 'C:\\Windows\\Fonts\\simfang.ttf', xiaobiaosong: '/usr/share/fonts/fz/FZXBSJW.TTF' },
  policies: { offlineDays: 14, rememberPassword: false, allowUserServerUrl: false },
});

describe('where deployment.json is looked for', () => {
  it('prefers the environment override, then beside the app, then the system path of each OS', () => {
    expect(
      deploymentCandidates({ platform: 'win32', execPath: 'C:\\Program Files\\协同办公\\XieTong.exe', env: { ProgramData: 'D:\\ProgramData' } }),
    ).toEqual(['C:\\Program Files\\协同办公\\deployment.json', 'D:\\ProgramData\\XieTong\\deployment.json']);
    expect(
      deploymentCandidates({ platform: 'linux', execPath: '/opt/apps/cn.gov.xietong.desktop/files/xietong', resourcesPath: '/opt/apps/cn.gov.xietong.desktop/files/resources', env: { XIETONG_DEPLOYMENT: '/tmp/try.json' } }),
    ).toEqual(['/tmp/try.json', '/opt/apps/cn.gov.xietong.desktop/files/deployment.json', '/opt/apps/cn.gov.xietong.desktop/files/resources/deployment.json', '/etc/xietong/deployment.json']);
    expect(systemDeploymentPath('darwin', {})).toBe('/Library/Application Support/XieTong/deployment.json');
    expect(systemDeploymentPath('win32', {})).toBe('C:\\ProgramData\\XieTong\\deployment.json');
  });
});

describe('loading deployment.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-deploy-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a complete file, the first that exists winning', async () => {
    const root = certificatePem(true);
    const file = join(dir, 'system.json');
    writeFileSync(file, `\uFEFF${JSON.stringify(sample(root), null, 2)}`);
    const loaded = await loadDeployment([join(dir, 'beside-app.json'), file, join(dir, 'never.json')]);
    expect(loaded.source).toBe(file);
    expect(loaded.config.serverUrl).toBe('https://oa.example.gov.cn:8443');
    expect(loaded.config.trustedRoots).toHaveLength(1);
    expect(loaded.config.fonts.fangsong).toBe('C:\\Windows\\Fonts\\simfang.ttf');
    // Policies not written take their safe defaults.
    expect(loaded.config.policies).toEqual({ offlineDays: 14, rememberPassword: false, allowUserServerUrl: false, allowUserDisableUpdates: false, allowUserFonts: true, startOnLogin: 'user', closeToTray: false });
  });

  it('runs on defaults when there is no file at all', async () => {
    const loaded = await loadDeployment([join(dir, 'a.json'), join(dir, 'missing', 'b.json')]);
    expect(loaded.source).toBeUndefined();
    expect(loaded.config.serverUrl).toBeUndefined();
    expect(loaded.config.updateUrl).toBeUndefined();
    expect(loaded.config.policies.rememberPassword).toBe(false);
  });

  it('names the file and every bad field, and does not fall through to the next file', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ serverUrl: 'ftp://oa', policies: { offlineDays: -1 }, fonts: { fangsong: '' }, colour: 'red' }));
    const good = join(dir, 'good.json');
    writeFileSync(good, '{}');
    const error = await loadDeployment([bad, good]).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DeploymentConfigError);
    const failure = error as DeploymentConfigError;
    expect(failure.file).toBe(bad);
    const text = failure.problems.join('\n');
    expect(text).toMatch(/serverUrl：必须是 http:\/\/ 或 https:\/\//);
    expect(text).toMatch(/policies\.offlineDays/);
    expect(text).toMatch(/fonts\.fangsong/);
    expect(text).toMatch(/colour/);
    expect(failure.message).toContain(bad);
    // The error page in English lists the same problems in English, field by field.
    const english = failure.problemsIn('en');
    expect(english).toHaveLength(failure.problems.length);
    expect(english.join('\n')).toMatch(/serverUrl: must be a web address beginning with http:\/\/ or https:\/\//);
    expect(english.join('\n')).toMatch(/policies\.offlineDays: /);
    expect(english.join('\n')).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it('words a file that is not JSON or holds a root that is not a CA in English too', () => {
    const problemsOf = (text: string): DeploymentConfigError => {
      try {
        parseDeploymentConfig(text, 'f.json');
      } catch (error) {
        return error as DeploymentConfigError;
      }
      throw new Error('accepted');
    };
    expect(problemsOf('{ "serverUrl": ').problemsIn('en')[0]).toMatch(/^Not valid JSON: /);
    expect(problemsOf(JSON.stringify({ trustedRoots: [certificatePem(false)] })).problemsIn('en')[0]).toMatch(/^trustedRoots\.0: this certificate is not a CA certificate/);
    expect(problemsOf(JSON.stringify({ trustedRoots: ['hello'] })).problemsIn('en')[0]).toMatch(/^trustedRoots\.0: must be one certificate in PEM format/);
  });

  it('explains a file that is not JSON', () => {
    expect(() => parseDeploymentConfig('{ "serverUrl": "https://oa", }', '/etc/xietong/deployment.json')).toThrow(/\/etc\/xietong\/deployment\.json 无效：不是有效的 JSON/);
  });

  it('refuses URLs with credentials and trusted roots that are not CA certificates or do not parse', () => {
    expect(() => parseDeploymentConfig(JSON.stringify({ updateUrl: 'https://user:pw@updates.example/' }), 'f.json')).toThrow(/updateUrl/);
    expect(() => parseDeploymentConfig(JSON.stringify({ trustedRoots: [certificatePem(false)] }), 'f.json')).toThrow(/trustedRoots\.0：这张证书不是 CA 证书/);
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    expect(() => parseDeploymentConfig(JSON.stringify({ trustedRoots: [broken] }), 'f.json')).toThrow(/trustedRoots\.0：无法解析证书/);
    expect(() => parseDeploymentConfig(JSON.stringify({ trustedRoots: ['hello'] }), 'f.json')).toThrow(/PEM/);
  });

  it('reports an unreadable file instead of ignoring it', async () => {
    const folder = join(dir, 'deployment.json');
    mkdirSync(folder);
    await expect(loadDeployment([folder])).rejects.toThrow(/无法读取文件（EISDIR）/);
  });
});

describe('personal settings under the deployment policy', () => {
  const deployment = (overrides: Partial<DeploymentConfig['policies']> = {}, extra: Record<string, unknown> = {}): DeploymentConfig =>
    DeploymentConfigSchema.parse({ serverUrl: 'https://oa.example.gov.cn', updateUrl: 'https://oa.example.gov.cn/updates/', fonts: { fangsong: '/fonts/fs.ttf' }, policies: overrides, ...extra });

  it('keeps the deployed server when the policy does not allow another, and says why', () => {
    const effective = resolveEffectiveSettings(deployment(), { serverUrl: 'http://10.0.0.9:8787' });
    expect(effective.serverUrl).toBe('https://oa.example.gov.cn');
    expect(effective.ignored).toEqual([{ setting: 'serverUrl', reason: '单位部署策略不允许更改服务器地址' }]);
  });

  it('lets a person choose the server when the policy allows it, or when none is deployed', () => {
    expect(resolveEffectiveSettings(deployment({ allowUserServerUrl: true }), { serverUrl: 'http://10.0.0.9:8787' }).serverUrl).toBe('http://10.0.0.9:8787');
    expect(resolveEffectiveSettings(DeploymentConfigSchema.parse({}), { serverUrl: 'http://10.0.0.9:8787' }).serverUrl).toBe('http://10.0.0.9:8787');
  });

  it('remembers passwords only where the policy allows it', () => {
    expect(resolveEffectiveSettings(deployment(), { rememberPassword: true }).rememberPassword).toBe(false);
    expect(resolveEffectiveSettings(deployment({ rememberPassword: true }), { rememberPassword: true }).rememberPassword).toBe(true);
    expect(resolveEffectiveSettings(deployment({ rememberPassword: true }), {}).rememberPassword).toBe(false);
  });

  it('keeps automatic updates on unless the policy lets the person turn them off; none without a URL', () => {
    expect(resolveEffectiveSettings(deployment(), { autoUpdate: false }).autoUpdate).toBe(true);
    expect(resolveEffectiveSettings(deployment({ allowUserDisableUpdates: true }), { autoUpdate: false }).autoUpdate).toBe(false);
    expect(resolveEffectiveSettings(DeploymentConfigSchema.parse({}), { autoUpdate: true }).autoUpdate).toBe(false);
  });

  it('merges personal fonts over deployed ones only when allowed', () => {
    expect(resolveEffectiveSettings(deployment(), { fonts: { kaiti: '/home/li/kai.ttf' } }).fonts).toEqual({ fangsong: '/fonts/fs.ttf', kaiti: '/home/li/kai.ttf' });
    const locked = resolveEffectiveSettings(deployment({ allowUserFonts: false }), { fonts: { fangsong: '/home/li/fs.ttf' } });
    expect(locked.fonts).toEqual({ fangsong: '/fonts/fs.ttf' });
    expect(locked.ignored.map((entry) => entry.setting)).toEqual(['fonts']);
  });

  it('always takes settings no policy governs (language) and what only the admin sets (offline days, roots)', () => {
    const effective = resolveEffectiveSettings(deployment({ offlineDays: 3 }), { language: 'en' });
    expect(effective.language).toBe('en');
    expect(effective.offlineDays).toBe(3);
  });

  it('turns notifications on unless the person turned them off; start on login off unless chosen', () => {
    expect(resolveEffectiveSettings(deployment(), {})).toMatchObject({ notifications: true, startOnLogin: false, closeToTray: false });
    expect(resolveEffectiveSettings(deployment(), { notifications: false, startOnLogin: true })).toMatchObject({ notifications: false, startOnLogin: true, ignored: [] });
  });

  it('lets the policy force start on login either way, ignoring (not losing) the person’s choice, and lock it', () => {
    const always = resolveEffectiveSettings(deployment({ startOnLogin: 'always' }), { startOnLogin: false });
    expect(always.startOnLogin).toBe(true);
    expect(always.ignored).toEqual([{ setting: 'startOnLogin', reason: '单位部署策略要求开机启动' }]);
    const never = resolveEffectiveSettings(deployment({ startOnLogin: 'never' }), { startOnLogin: true });
    expect(never.startOnLogin).toBe(false);
    expect(never.ignored).toEqual([{ setting: 'startOnLogin', reason: '单位部署策略不允许开机启动' }]);
    expect(lockedSettings(deployment({ startOnLogin: 'never' }))).toContain('startOnLogin');
    expect(lockedSettings(deployment())).not.toContain('startOnLogin');
  });

  it('keeps the app in the tray on close only when the policy says so', () => {
    expect(resolveEffectiveSettings(deployment({ closeToTray: true }), {}).closeToTray).toBe(true);
    expect(DeploymentConfigSchema.safeParse({ policies: { closeToTray: 'yes' } }).success).toBe(false);
    expect(DeploymentConfigSchema.safeParse({ policies: { startOnLogin: true } }).success).toBe(false);
  });
});

describe('the personal settings file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'xietong-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves and loads settings', async () => {
    const store = createUserSettingsStore(dir);
    expect(await store.load()).toEqual({});
    await store.save({ serverUrl: 'https://oa.example.gov.cn', language: 'zh-CN' });
    expect(await createUserSettingsStore(dir).load()).toEqual({ serverUrl: 'https://oa.example.gov.cn', language: 'zh-CN' });
  });

  it('refuses to save invalid settings and keeps the old file', async () => {
    const store = createUserSettingsStore(dir);
    await store.save({ language: 'en' });
    await expect(store.save({ serverUrl: 'javascript:alert(1)' })).rejects.toThrow();
    expect(await store.load()).toEqual({ language: 'en' });
  });

  it('sets a damaged file aside instead of deleting it, and starts on defaults', async () => {
    writeFileSync(join(dir, 'settings.json'), '{"serverUrl": 42');
    const discarded: string[] = [];
    const loaded = await createUserSettingsStore(dir, { onDiscarded: (_file, movedTo) => discarded.push(movedTo) }).load();
    expect(loaded).toEqual({});
    expect(discarded).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('settings.json.bad-'))).toHaveLength(1);
    expect(readFileSync(discarded[0]!, 'utf8')).toBe('{"serverUrl": 42');
  });
});
