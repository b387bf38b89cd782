/**
 * `xietong --help` must start in about the time of Node itself (issue: the command line starts in the
 * time a command should), so it may load no command's code; and each command loads only its own.
 * Checked on the built CLI (`dist/`, built by `npm test`'s build step) with a module-resolution hook
 * that reports every module the process resolves.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = process.cwd();
const cli = join(root, 'bin', 'xietong.mjs');

/** Runs the CLI with a resolve hook that prints each resolved URL to stderr as `resolved: URL`. */
function resolvedModules(args: string[]): { status: number | null; stdout: string; modules: string[] } {
  const hook = `export async function resolve(specifier, context, next) { const r = await next(specifier, context); process.stderr.write('resolved: ' + r.url + '\\n'); return r; }`;
  const register = `import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, cli, ...args], { encoding: 'utf8', cwd: root });
  const modules = run.stderr
    .split('\n')
    .filter((line) => line.startsWith('resolved: '))
    .map((line) => line.slice('resolved: '.length));
  return { status: run.status, stdout: run.stdout, modules };
}

describe('the command line loads code only for the command it runs', () => {
  it('is built', () => {
    expect(existsSync(join(root, 'dist', 'cli.mjs')), 'run `npm run build:node` first').toBe(true);
  });

  it('prints --help with every command listed, loading no package and no command chunk', () => {
    const { status, stdout, modules } = resolvedModules(['--help']);
    expect(status).toBe(0);
    for (const name of ['ca', 'sign', 'batch-sign', 'verify', 'server', 'admin', 'deployment']) expect(stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    expect(modules.some((url) => url.endsWith('/dist/cli.mjs'))).toBe(true);
    // Shared chunks (`chunk-*`: the error class, esbuild's helpers) are a few hundred bytes; a
    // command's own chunk or any package is what would cost the start.
    const loadedCode = modules.filter((url) => url.includes('/node_modules/') || /\/cli-chunks\/(?!chunk-)/.test(url));
    expect(loadedCode).toEqual([]);
  });

  it('loads the signing code for batch-sign but neither fontkit, zod nor the server', () => {
    const { modules } = resolvedModules(['batch-sign', '--help']);
    expect(modules.some((url) => /\/cli-chunks\/batchSign-/.test(url))).toBe(true);
    expect(modules.filter((url) => /fontkit|\/zod\/|better-sqlite3|\/pg\/|ioredis|\/yjs\//.test(url))).toEqual([]);
  });
});
