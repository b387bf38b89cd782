/**
 * The guards on every window: navigation, new windows, webviews, external links, permissions and
 * the CSP header, with Electron's objects replaced by small fakes of the parts used.
 */
import { EventEmitter } from 'node:events';
import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/main/shell/appProtocol';
import { isSafeExternalUrl } from '../../src/main/shell/externalLinks';
import { isPermissionAllowed } from '../../src/main/shell/permissions';
import { enforceContentSecurityPolicy, hardenWebContents, restrictPermissions } from '../../src/main/shell/webContentsSecurity';
import { silentLogger } from '../../src/main/services/logging';

class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits like Electron: returns whether a listener prevented the default. */
  fire(event: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

const harden = () => {
  const contents = new FakeContents();
  const launchExternal = vi.fn(() => Promise.resolve());
  hardenWebContents(contents as unknown as WebContents, { launchExternal, log: silentLogger });
  return { contents, launchExternal };
};

describe('navigation and new windows', () => {
  it('lets the app move between its own pages', () => {
    const { contents, launchExternal } = harden();
    expect(contents.fire('will-navigate', 'app://xietong/index.html')).toBe(false);
    expect(launchExternal).not.toHaveBeenCalled();
  });

  it('keeps foreign pages out of the window and opens safe links in the system browser instead', async () => {
    const { contents, launchExternal } = harden();
    expect(contents.fire('will-navigate', 'https://www.gov.cn/zhengce/')).toBe(true);
    expect(contents.fire('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(contents.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true);
    await Promise.resolve();
    expect(launchExternal.mock.calls).toEqual([['https://www.gov.cn/zhengce/']]);
  });

  it('denies every new window, opening only https and mailto links externally', () => {
    const { contents, launchExternal } = harden();
    expect(contents.windowOpenHandler!({ url: 'https://www.gov.cn/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'mailto:zhao@example.gov.cn' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://intranet/login' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'app://xietong/index.html' })).toEqual({ action: 'deny' });
    expect(launchExternal.mock.calls).toEqual([['https://www.gov.cn/'], ['mailto:zhao@example.gov.cn']]);
  });

  it('refuses to attach webviews', () => {
    const { contents } = harden();
    expect(contents.fire('will-attach-webview', {}, {})).toBe(true);
  });
});

describe('external links', () => {
  it('accepts https and mailto only, without credentials in the URL', () => {
    expect(isSafeExternalUrl('https://www.gov.cn/')).toBe(true);
    expect(isSafeExternalUrl('mailto:office@example.gov.cn?subject=公文')).toBe(true);
    for (const url of ['http://www.gov.cn/', 'file:///C:/Windows/system32/calc.exe', 'javascript:alert(1)', 'smb://fileserver/share', 'ms-msdt:/id', 'https://www.gov.cn@evil.example/', 'https://user:pw@host/', 'mailto:', 'nonsense']) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});

describe('permissions', () => {
  it('allows the microphone, and only that, for our own page', () => {
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://xietong/index.html', mediaTypes: ['audio'] })).toBe(true);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://xietong/index.html', mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'app://xietong/index.html', mediaTypes: [] })).toBe(false);
    expect(isPermissionAllowed({ permission: 'media', requestingUrl: 'https://evil.example/', mediaTypes: ['audio'] })).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'hid', 'openExternal']) {
      expect(isPermissionAllowed({ permission, requestingUrl: 'app://xietong/index.html' }), permission).toBe(false);
    }
  });

  it('installs request, check and device handlers on the session that apply that rule', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (handler: (...args: never[]) => unknown) => (handlers.request = handler),
      setPermissionCheckHandler: (handler: (...args: never[]) => unknown) => (handlers.check = handler),
      setDevicePermissionHandler: (handler: (...args: never[]) => unknown) => (handlers.device = handler),
    };
    restrictPermissions(session as unknown as Session, silentLogger);
    const request = handlers.request as unknown as (c: unknown, p: string, cb: (allowed: boolean) => void, d: { requestingUrl: string; mediaTypes?: string[] }) => void;
    const answers: boolean[] = [];
    request({}, 'media', (allowed) => answers.push(allowed), { requestingUrl: 'app://xietong/index.html', mediaTypes: ['audio'] });
    request({}, 'media', (allowed) => answers.push(allowed), { requestingUrl: 'app://xietong/index.html', mediaTypes: ['video'] });
    request({}, 'geolocation', (allowed) => answers.push(allowed), { requestingUrl: 'app://xietong/index.html' });
    expect(answers).toEqual([true, false, false]);
    const check = handlers.check as unknown as (c: unknown, p: string, origin: string, d: { requestingUrl?: string; mediaType?: string }) => boolean;
    expect(check({}, 'media', 'app://xietong', { requestingUrl: 'app://xietong/index.html', mediaType: 'audio' })).toBe(true);
    expect(check({}, 'media', 'app://xietong', { requestingUrl: 'app://xietong/index.html', mediaType: 'video' })).toBe(false);
    expect((handlers.device as unknown as () => boolean)()).toBe(false);
  });
});

describe('CSP header on web responses', () => {
  it('adds exactly the app scheme’s policy to every response', () => {
    let listener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (handler: typeof listener) => (listener = handler) } };
    enforceContentSecurityPolicy(session as unknown as Session);
    let headers: Record<string, string[]> | undefined;
    listener!({ responseHeaders: { 'content-type': ['text/html'] } }, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
