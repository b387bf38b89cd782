/**
 * Serves the built renderer (out/renderer) read-only. Paths are resolved inside the folder and
 * anything that would step outside it is refused, so a crafted URL cannot read other local files.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Hashed build assets never change under the same name; index.html does. */
  immutable: boolean;
}

/** Finds the file for a URL path, or null when there is none (or the path is not allowed). */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(rootDir);
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const target = resolve(root, normalize(relative));
  if (target !== root && !target.startsWith(root + sep)) return null;
  try {
    const info = await stat(target);
    const file = info.isDirectory() ? join(target, 'index.html') : target;
    const body = await readFile(file);
    return {
      body,
      contentType: contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
      immutable: file.startsWith(join(root, 'assets') + sep),
    };
  } catch {
    return null;
  }
}
