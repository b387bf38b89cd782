/**
 * Guards every webContents the app creates (installed from `web-contents-created`, so no window can
 * be forgotten). Each listener names the threat it stops.
 */
import type { Session, WebContents } from 'electron';
import type { Logger } from '../services/logging';
import { isAppUrl } from './appProtocol';
import { isSafeExternalUrl } from './externalLinks';
import { isPermissionAllowed } from './permissions';

export interface SecurityDeps {
  /**
   * Hands a URL to the system browser or mail client (`shell.openExternal`). Only `openIfSafe` calls
   * it, after `isSafeExternalUrl`: that check is the manual review Electronegativity's
   * OPEN_EXTERNAL_JS_CHECK asks for, done once at this single route.
   */
  readonly launchExternal: (url: string) => Promise<void>;
  readonly log: Logger;
}

const openIfSafe = (url: string, deps: SecurityDeps): void => {
  if (!isSafeExternalUrl(url)) {
    deps.log.warn('refused to open a link outside the app', { url });
    return;
  }
  deps.launchExternal(url).catch((error: unknown) => deps.log.warn('could not open link', error));
};

export function hardenWebContents(contents: WebContents, deps: SecurityDeps): void {
  // Navigation away from the app would put foreign content in a window whose preload exposes the
  // contract: stop it, and offer safe links to the system browser instead.
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openIfSafe(url, deps);
  });
  // Server redirects are navigations too.
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
  });
  // window.open / target=_blank must not create new Electron windows (they would escape our
  // webPreferences); links go to the system browser after the check.
  contents.setWindowOpenHandler(({ url }) => {
    openIfSafe(url, deps);
    return { action: 'deny' };
  });
  // <webview> can load arbitrary content with its own preferences: the app never uses one.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/**
 * Adds the CSP header to every http(s) response the session loads, as a second layer behind the app
 * scheme's own header: should any web content ever load in our windows (a misconfigured URL, a
 * development server), it still cannot run foreign scripts. The literal must equal
 * CONTENT_SECURITY_POLICY (a test checks); it is written out so the security scanner can read it.
 */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': ["default-src 'none'; script-src app://xietong/assets/; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-src 'none'; frame-ancestors 'none'; object-src 'none'"],
      },
    });
  });
}

/** Installs the permission handlers on a session: the microphone for our page, nothing else. */
export function restrictPermissions(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const allowed = isPermissionAllowed({ permission, requestingUrl: details.requestingUrl, mediaTypes });
    if (!allowed) log.info(`refused permission ${permission}`, { url: details.requestingUrl, mediaTypes });
    callback(allowed);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const mediaType = 'mediaType' in details ? details.mediaType : undefined;
    return isPermissionAllowed({
      permission,
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      mediaTypes: mediaType && mediaType !== 'unknown' ? [mediaType] : [],
    });
  });
  // WebHID, WebUSB, Web Serial: a page must never reach a USB key or any other device directly.
  session.setDevicePermissionHandler(() => false);
}
