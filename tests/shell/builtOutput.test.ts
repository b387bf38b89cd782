/**
 * What electron-vite emitted for the shell (`npm test` builds first): a sandboxed preload can only be
 * a CommonJS script that requires nothing but `electron`, and the scanner in `npm run lint` can only
 * see the sandbox if `sandbox: true` survives literally in the main bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const out = join(__dirname, '..', '..', 'out');
const built = existsSync(join(out, 'preload', 'index.js')) && existsSync(join(out, 'main', 'index.js'));

describe.skipIf(!built)('built Electron output (run `npx electron-vite build` first)', () => {
  it('has a CommonJS preload that requires only electron', () => {
    const preload = readFileSync(join(out, 'preload', 'index.js'), 'utf8');
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).toContain('exposeInMainWorld("xietong"');
  });

  it('keeps the hardened webPreferences literal in the main bundle', () => {
    const main = readFileSync(join(out, 'main', 'index.js'), 'utf8');
    for (const literal of ['sandbox: true', 'contextIsolation: true', 'nodeIntegration: false', 'webSecurity: true']) expect(main).toContain(literal);
  });
});
