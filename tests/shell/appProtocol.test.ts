/** The app:// scheme the renderer is served from: its files, its CSP, and nothing outside its folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppProtocolHandler, isAppUrl, resolveAppPath } from '../../src/main/shell/appProtocol';

describe('app:// protocol', () => {
  let base: string;
  let root: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'xietong-scheme-'));
    root = join(base, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>协同办公</title>');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
    handle = createAppProtocolHandler({ root, pages: new Map([['/deployment-error.html', () => '<h1>部署配置有误</h1>']]) });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

  it('serves the renderer with the CSP and a correct type', async () => {
    const page = await get('app://xietong/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('协同办公');
    const script = await get('app://xietong/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers the root and in-app routes with index.html, but a missing asset with 404', async () => {
    expect(await (await get('app://xietong/')).text()).toContain('协同办公');
    expect(await (await get('app://xietong/inbox/todo')).text()).toContain('协同办公');
    expect((await get('app://xietong/assets/missing.js')).status).toBe(404);
  });

  it('refuses every way out of the renderer folder', async () => {
    for (const url of ['app://xietong/%2e%2e/secret.txt', 'app://xietong/assets/%2E%2E%2F%2E%2E%2Fsecret.txt', 'app://xietong/..%5csecret.txt', 'app://xietong/%00index.html', 'app://xietong/%E0%A4%A']) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('outside the renderer');
    }
    expect(resolveAppPath(root, '/../secret.txt')).toBeUndefined();
    expect(resolveAppPath(root, '/assets/../index.html')).toBe(join(root, 'index.html'));
  });

  it('serves nothing for another host or for methods other than GET/HEAD', async () => {
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://xietong/index.html', 'POST')).status).toBe(405);
    const head = await get('app://xietong/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves generated pages (the deployment error screen) under the same CSP', async () => {
    const page = await get('app://xietong/deployment-error.html');
    expect(await page.text()).toContain('部署配置有误');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('recognises only its own origin', () => {
    expect(isAppUrl('app://xietong/index.html')).toBe(true);
    expect(isAppUrl('app://xietong.evil/index.html')).toBe(false);
    expect(isAppUrl('https://xietong/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('has a CSP without remote sources, inline script or eval', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
  });
});
