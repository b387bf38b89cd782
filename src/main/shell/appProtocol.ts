/**
 * The privileged `app://xietong/…` scheme the renderer is served from. Not `file://`: a file origin
 * would let any page read any local file and shares one origin with every other file; a custom
 * scheme gives the app its own origin that the IPC sender check and the permission handler can
 * recognise. Pure Node (Request → Response) so it is tested without Electron.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'xietong';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The renderer's Content-Security-Policy, sent as a header on every response of the scheme. Only
 * our own scripts and styles; no remote content, no eval, no plugins, no framing. Scripts only from
 * the built bundle's `assets/` folder (narrower than 'self': no other file the scheme serves can be
 * loaded as a script). The renderer has no network of its own in the desktop app (all traffic goes
 * through the contract), so `connect-src` is the app itself.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'script-src app://xietong/assets/',
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.webm': 'audio/webm',
  '.pdf': 'application/pdf',
};

/** True for URLs of our own scheme and host (the only place the app's pages live). */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * Maps a request path to a file under `root`, or undefined when it would leave `root`. Decoded
 * first, because `%2e%2e%2f` survives URL parsing and would otherwise walk out of the folder.
 */
export function resolveAppPath(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relativePath = decoded.replace(/^\/+/, '') || 'index.html';
  const base = resolve(root);
  const target = resolve(base, relativePath);
  const inside = relative(base, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return undefined;
  return target;
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  readonly root: string;
  /** Pages generated in memory (e.g. the deployment error screen), by path: `/deployment-error.html`. */
  readonly pages?: ReadonlyMap<string, () => string>;
}

const securityHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
});

const textResponse = (status: number, text: string): Response =>
  new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });

/** The handler `protocol.handle(APP_SCHEME, …)` installs. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'bad request');
    }
    // Another host on our scheme is nothing we serve; refusing it keeps one origin for the app.
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return textResponse(404, 'not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'method not allowed');

    const page = options.pages?.get(url.pathname);
    if (page) return new Response(page(), { status: 200, headers: securityHeaders(MIME_TYPES['.html']!) });

    const file = resolveAppPath(options.root, url.pathname);
    if (!file) return textResponse(403, 'forbidden');
    let target = file;
    let info = await stat(target).catch(() => undefined);
    // The UI routes inside one page: an extension-less path that is not a file gets index.html.
    if (!info?.isFile() && extname(url.pathname) === '') {
      target = resolve(options.root, 'index.html');
      info = await stat(target).catch(() => undefined);
    }
    if (!info?.isFile()) return textResponse(404, 'not found');
    const body = await readFile(target);
    const contentType = MIME_TYPES[extname(target).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: securityHeaders(contentType) });
  };
}
