/**
 * electron-builder.yml checked the way electron-builder itself checks it (its own scheme.json, with
 * ajv), plus what issue 7 asks of the installers: the targets, every fuse, the icons, the
 * associations. `electron-builder` cannot run here (it downloads Electron), so this is the gate.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { APP_ID, PRODUCT_NAME } from '../../src/main/shell/appIdentity';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as {
  definitions: Record<string, { properties?: Record<string, unknown> }>;
};
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

// The options electron-builder uses (strict: false lets its custom `typeof` keyword through), minus
// type coercion so a quoted number or a bare string where a list belongs is reported here.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const problems = (value: unknown): string[] =>
  validate(value) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);

type Targets = Array<{ target: string; arch: string[] }>;
const section = (name: string): Record<string, unknown> => config[name] as Record<string, unknown>;

const pngSize = (file: string): { width: number; height: number } => {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
};

describe('electron-builder.yml', () => {
  it('matches electron-builder’s own configuration schema', () => {
    expect(problems(config)).toEqual([]);
  });

  it('is rejected by the same check when an option is misspelt or mistyped', () => {
    expect(problems({ ...config, electronFuzes: { runAsNode: false } }).join('\n')).toMatch(/additional properties/);
    expect(problems({ ...config, nsis: { ...section('nsis'), perMachine: 'yes' } }).join('\n')).toMatch(/boolean/);
  });

  it('names the app 协同办公 with a reverse-domain app id', () => {
    expect(config.productName).toBe(PRODUCT_NAME);
    // The shell sets the same id as Windows AppUserModelId, and the UOS package is named after it.
    expect(config.appId).toBe(APP_ID);
    expect(readFileSync(join(root, 'build', 'uos', 'make-uos-deb.sh'), 'utf8')).toContain(`appid="\${3:-${APP_ID}}"`);
  });

  it('sets every Electron fuse explicitly, each to the hardened value', () => {
    const fuses = section('electronFuses');
    const known = Object.keys(schema.definitions.FuseOptionsV1!.properties!);
    expect(Object.keys(fuses).sort()).toEqual(known.sort());
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds a per-machine NSIS installer with a choosable folder, and an MSI', () => {
    const win = section('win');
    expect((win.target as Targets).map((target) => target.target)).toEqual(['nsis', 'msi']);
    expect(section('nsis')).toMatchObject({ oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true });
    expect(existsSync(join(root, section('nsis').include as string))).toBe(true);
    expect(section('msi').upgradeCode).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(win.verifyUpdateCodeSignature).toBe(true);
  });

  it('builds deb and AppImage for x64 and arm64 with a Chinese desktop entry', () => {
    const linux = section('linux');
    for (const kind of ['deb', 'AppImage']) {
      const target = (linux.target as Targets).find((entry) => entry.target === kind);
      expect(target?.arch.sort()).toEqual(['arm64', 'x64']);
    }
    const entry = (linux.desktop as { entry: Record<string, string> }).entry;
    expect(entry['Name[zh_CN]']).toBe('协同办公');
    expect(entry.Categories).toContain('Office');
  });

  it('builds a macOS dmg that may use the microphone for voice sign-off', () => {
    expect((section('mac').target as Targets)[0]!.target).toBe('dmg');
    const entitlements = readFileSync(join(root, section('mac').entitlements as string), 'utf8');
    expect(entitlements).toContain('com.apple.security.device.audio-input');
  });

  it('associates .pdf and .ofd files', () => {
    const associations = config.fileAssociations as Array<{ ext: string; mimeType: string }>;
    expect(associations.map((association) => association.ext).sort()).toEqual(['ofd', 'pdf']);
  });

  it('rebuilds native modules for Electron and keeps them outside the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**');
  });

  it('ships icons in every size the desktops ask for, as real square PNGs', () => {
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      expect(pngSize(join(root, 'assets', 'icons', `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
    const ico = readFileSync(join(root, section('win').icon as string));
    expect(ico.readUInt16LE(2)).toBe(1); // ICO type
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5);
    expect(pngSize(join(root, section('mac').icon as string))).toEqual({ width: 1024, height: 1024 });
  });

  it('takes its build resources and every icon from assets/, and build/ holds no artwork', () => {
    expect((config.directories as Record<string, unknown>).buildResources).toBe('assets');
    for (const name of ['win', 'linux', 'mac']) {
      const icon = section(name).icon as string;
      expect(icon, name).toMatch(/^assets\//);
      expect(existsSync(join(root, icon)), icon).toBe(true);
    }
    const artwork = /\.(png|ico|icns|svg|bmp|jpe?g|gif)$/i;
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    expect(files('build').filter((f) => artwork.test(f))).toEqual([]);
    expect(files('assets').filter((f) => artwork.test(f)).length).toBeGreaterThanOrEqual(12);
  });
});
