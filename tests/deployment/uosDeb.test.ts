/**
 * build/uos/make-uos-deb.sh on a deb laid out like electron-builder's: the result installs only under
 * /opt/apps/<appid>/ with files/, entries/ and info, is named after the app id and starts the app
 * from its new place.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needs, requireTools } from '../support/systemTools';

const root = join(__dirname, '..', '..');
const script = join(root, 'build', 'uos', 'make-uos-deb.sh');
const appid = 'cn.gov.xietong.desktop';

/** A deb shaped like electron-builder's output for 协同办公 0.1.0 on amd64. */
function fakeElectronBuilderDeb(dir: string): string {
  const tree = join(dir, 'tree');
  const app = join(tree, 'opt', '协同办公');
  mkdirSync(join(app, 'resources'), { recursive: true });
  writeFileSync(join(app, 'xietong'), '#!/bin/sh\necho xietong\n');
  chmodSync(join(app, 'xietong'), 0o755);
  writeFileSync(join(app, 'chrome-sandbox'), 'sandbox');
  writeFileSync(join(app, 'resources', 'app.asar'), 'asar');
  mkdirSync(join(tree, 'usr', 'share', 'applications'), { recursive: true });
  writeFileSync(
    join(tree, 'usr', 'share', 'applications', 'xietong.desktop'),
    '[Desktop Entry]\nName=协同办公\nName[zh_CN]=协同办公\nExec=/opt/协同办公/xietong %U\nTerminal=false\nType=Application\nIcon=xietong\nCategories=Office;\nMimeType=application/pdf;application/ofd;\n',
  );
  for (const size of [16, 256]) {
    const iconDir = join(tree, 'usr', 'share', 'icons', 'hicolor', `${size}x${size}`, 'apps');
    mkdirSync(iconDir, { recursive: true });
    copyFileSync(join(root, 'assets', 'icons', `${size}x${size}.png`), join(iconDir, 'xietong.png'));
  }
  mkdirSync(join(tree, 'DEBIAN'));
  writeFileSync(
    join(tree, 'DEBIAN', 'control'),
    'Package: xietong\nVersion: 0.1.0\nLicense: UNLICENSED\nVendor: 协同办公\nArchitecture: amd64\nMaintainer: 协同办公 <noreply@xietong.invalid>\nInstalled-Size: 1\nDepends: libgtk-3-0, libnss3\nSection: default\nPriority: optional\nDescription: 协同办公\n 面向政府机关的协同办公客户端\n',
  );
  writeFileSync(join(tree, 'DEBIAN', 'postinst'), "#!/bin/bash\nln -sf '/opt/协同办公/xietong' '/usr/bin/xietong'\n");
  chmodSync(join(tree, 'DEBIAN', 'postinst'), 0o755);
  const deb = join(dir, 'xietong_0.1.0_amd64.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '-b', tree, deb], { stdio: 'pipe' });
  return deb;
}

describe(`UOS deb variant (make-uos-deb.sh) ${needs('dpkg-deb')}`, () => {
  let dir: string;
  let output: string;
  let listing: string;
  let extracted: string;

  beforeAll(() => {
    requireTools('dpkg-deb');
    dir = mkdtempSync(join(tmpdir(), 'xietong-uos-'));
    const deb = fakeElectronBuilderDeb(dir);
    output = execFileSync('bash', [script, deb, join(dir, 'out')], { encoding: 'utf8' }).trim();
    listing = execFileSync('dpkg-deb', ['-c', output], { encoding: 'utf8' });
    extracted = join(dir, 'extracted');
    execFileSync('dpkg-deb', ['-R', output, extracted]);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('names the package and the file after the app id', () => {
    expect(output.endsWith(`${appid}_0.1.0_amd64.deb`)).toBe(true);
    expect(execFileSync('dpkg-deb', ['-f', output, 'Package'], { encoding: 'utf8' }).trim()).toBe(appid);
    expect(execFileSync('dpkg-deb', ['-f', output, 'Depends'], { encoding: 'utf8' }).trim()).toBe('libgtk-3-0, libnss3');
  });

  it('installs everything under /opt/apps/<appid> and nothing elsewhere', () => {
    const paths = listing
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.slice(line.indexOf('./') + 1).replace(/\/$/, ''));
    const files = paths.filter((path) => !['', '/opt', '/opt/apps'].includes(path));
    expect(files.length).toBeGreaterThan(5);
    for (const path of files) expect(path.startsWith(`/opt/apps/${appid}`)).toBe(true);
    expect(paths).toContain(`/opt/apps/${appid}/files/xietong`);
    expect(paths).toContain(`/opt/apps/${appid}/files/resources/app.asar`);
    expect(paths).toContain(`/opt/apps/${appid}/entries/icons/hicolor/256x256/apps/${appid}.png`);
  });

  it('writes an info file UOS can read', () => {
    const info = JSON.parse(readFileSync(join(extracted, 'opt', 'apps', appid, 'info'), 'utf8')) as Record<string, unknown>;
    expect(info).toMatchObject({ appid, name: '协同办公', version: '0.1.0', arch: ['amd64'] });
    expect((info.permissions as Record<string, boolean>).audio_record).toBe(true);
  });

  it('points the desktop entry at the new place and the app-id icon', () => {
    const entry = readFileSync(join(extracted, 'opt', 'apps', appid, 'entries', 'applications', `${appid}.desktop`), 'utf8');
    expect(entry).toContain(`Exec="/opt/apps/${appid}/files/xietong" %U`);
    expect(entry).toContain(`Icon=${appid}`);
    expect(entry).toContain('Name[zh_CN]=协同办公');
    expect(entry).toContain('MimeType=application/pdf;application/ofd;');
  });

  it('replaces the maintainer script with one that only fixes the sandbox helper in the new place', () => {
    const postinst = readFileSync(join(extracted, 'DEBIAN', 'postinst'), 'utf8');
    expect(postinst).toContain(`/opt/apps/${appid}/files/chrome-sandbox`);
    expect(postinst).not.toContain('/usr/bin');
    expect(spawnSync('sh', ['-n', join(extracted, 'DEBIAN', 'postinst')]).status).toBe(0);
  });

  it('refuses input that is not an electron-builder deb, with one clear line', () => {
    const bogus = join(dir, 'bogus.deb');
    writeFileSync(bogus, 'not a deb');
    const run = spawnSync('bash', [script, bogus, join(dir, 'out2')], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    const missing = spawnSync('bash', [script, join(dir, 'missing.deb'), join(dir, 'out2')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^make-uos-deb: no such file/);
  });
});
