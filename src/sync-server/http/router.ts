/**
 * The server's small HTTP router over node:http. Each area registers its routes with
 * `router.get/post/put/patch/delete(path, handler, options)`; paths take `:name` parameters.
 *
 * What every route gets for free, so no area can forget it:
 * - authentication: every route needs `Authorization: Bearer <token>` unless registered
 *   `{ public: true }`; a person who still holds a one-time password only reaches routes registered
 *   `{ allowPendingPassword: true }`;
 * - bodies read with a size limit (413) and parsed as JSON against a zod schema (400), queries too;
 * - every error answered as `{"error":{"code","message"}}` with the right status; unexpected
 *   errors become a 500 whose details go to the log only.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError, type ZodType } from 'zod';
import type { AccountUser } from '../../shared/http/auth';
import type { HttpErrorBody } from '../../shared/http/errors';
import type { Logger } from '../log';
import { HttpError, badRequest, unauthenticated } from './errors';
import { errorText, keyFields, type ErrorText } from '../../shared/errors';

/** What a handler answers: JSON (the usual), bytes with a content type, or nothing (204). */
export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; body: Buffer | string; contentType: string; headers?: Record<string, string> }
  | { status: 204; headers?: Record<string, string> };

export const ok = (json: unknown): Reply => ({ status: 200, json });
export const created = (json: unknown): Reply => ({ status: 201, json });
export const noContent = (): Reply => ({ status: 204 });
export const bytes = (body: Buffer | string, contentType: string, status = 200): Reply => ({ status, body, contentType });

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  /** Path parameters, already URI-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The peer address (the socket's; this server does not trust X-Forwarded-For unless configured). */
  readonly ip: string;
  /** The authenticated caller. Reading it on a public route without a valid token throws 401. */
  readonly user: AccountUser;
  /** The bearer token presented, if any. */
  readonly token: string | null;
  readonly log: Logger;
  /** Reads the body as JSON and parses it with `schema` (400 on malformed JSON or invalid shape). */
  json<T>(schema: ZodType<T>): Promise<T>;
  /** Parses the query string (first value of each key) with `schema`. */
  parseQuery<T>(schema: ZodType<T>): T;
  /** Reads the raw body, e.g. an uploaded PDF; checks the content type when given. */
  body(options?: { contentType?: string; maxBytes?: number }): Promise<Buffer>;
}

export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

export interface RouteOptions {
  /** No token needed (login, health). */
  public?: boolean;
  /** Reachable with a one-time password not yet changed (`/api/me`, `/api/auth/password`). */
  allowPendingPassword?: boolean;
  /** Body size limit for this route; the router's default otherwise. */
  maxBodyBytes?: number;
}

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
  options: RouteOptions;
}

export interface RouterOptions {
  /** Resolves a bearer token to the person, or null when it is not (or no longer) valid. */
  authenticate(token: string): Promise<AccountUser | null>;
  log: Logger;
  /** Default body size limit (bytes). Default 1 MiB. */
  maxBodyBytes?: number;
  /** Called once per answered request (metrics). `route` is the pattern, or `unmatched`. */
  onResponse?(event: { method: string; route: string; status: number; seconds: number }): void;
  /** Honour X-Forwarded-For (only behind a trusted load balancer). Default false. */
  trustProxy?: boolean;
}

const DEFAULT_MAX_BODY = 1024 * 1024;

/**
 * Random request ids (16 hex digits) drawn from a pool refilled 512 at a time: a `randomBytes(8)` per
 * request was a system call for 8 bytes, about 1 % of a workflow action's server time.
 */
const REQUEST_ID_BYTES = 8;
let idPool = Buffer.alloc(0);
let idOffset = 0;
function newRequestId(): string {
  if (idOffset + REQUEST_ID_BYTES > idPool.length) {
    idPool = randomBytes(REQUEST_ID_BYTES * 512);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + REQUEST_ID_BYTES);
  idOffset += REQUEST_ID_BYTES;
  return id;
}

function compile(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), keys };
}

/**
 * A readable summary of a zod error for the 400: at most five issues as `path: message`. The issues'
 * own words (zod's, or a contract's Chinese ones) go into `{details}` as they are, so the keyed text
 * reads in English around them; the client's own copy of the contract normally catches them first.
 */
export function describeZodError(error: ZodError): ErrorText {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '请求';
    return `${where}: ${issue.message}`;
  });
  return errorText('http.invalidRequest', { details: parts.join('；') });
}

export class Router {
  private readonly routes: Route[] = [];
  constructor(private readonly options: RouterOptions) {}

  get(path: string, handler: Handler, options: RouteOptions = {}): void {
    this.add('GET', path, handler, options);
  }
  post(path: string, handler: Handler, options: RouteOptions = {}): void {
    this.add('POST', path, handler, options);
  }
  put(path: string, handler: Handler, options: RouteOptions = {}): void {
    this.add('PUT', path, handler, options);
  }
  patch(path: string, handler: Handler, options: RouteOptions = {}): void {
    this.add('PATCH', path, handler, options);
  }
  delete(path: string, handler: Handler, options: RouteOptions = {}): void {
    this.add('DELETE', path, handler, options);
  }

  /** Registers a route; registering the same method and path twice is a programming error. */
  add(method: string, pattern: string, handler: Handler, options: RouteOptions = {}): void {
    if (this.routes.some((route) => route.method === method && route.pattern === pattern)) {
      throw new Error(`route registered twice: ${method} ${pattern}`);
    }
    this.routes.push({ method, pattern, handler, options, ...compile(pattern) });
  }

  /** The node:http request listener. Never throws; always answers. */
  handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const method = (req.method ?? 'GET').toUpperCase();
    let routeName = 'unmatched';
    // A request id ties a person's report ("it failed at 10:42") to the server's log lines.
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : newRequestId();
    res.setHeader('x-request-id', requestId);
    const log = this.options.log.child({ requestId });
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const found = this.match(method, path);
      if (!found) {
        // Strangers learn nothing about which /api routes exist: 401 before 404/405.
        if (path.startsWith('/api/')) {
          const token = bearerToken(req);
          if (!token || !(await this.options.authenticate(token))) throw unauthenticated(errorText('http.signInFirst'));
        }
        throw this.noRoute(method, path);
      }
      routeName = found.route.pattern;
      const reply = await this.run(found.route, found.params, req, res, method, path, url.searchParams, log);
      this.send(res, reply);
    } catch (error) {
      this.sendError(req, res, error, method, log);
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.options.onResponse?.({ method, route: routeName, status: res.statusCode, seconds });
    }
  };

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        try {
          params[key] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          throw badRequest(errorText('http.pathEncoding'));
        }
      });
      return { route, params };
    }
    return null;
  }

  private noRoute(method: string, path: string): HttpError {
    const allowed = this.routes.filter((route) => route.regex.test(path)).map((route) => route.method);
    if (allowed.length > 0) {
      return new HttpError('method_not_allowed', errorText('http.methodNotAllowed', { method }), { headers: { allow: allowed.join(', ') } });
    }
    return new HttpError('not_found', errorText('http.routeNotFound'));
  }

  private async run(
    route: Route,
    params: Record<string, string>,
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
    query: URLSearchParams,
    log: Logger,
  ): Promise<Reply> {
    const token = bearerToken(req);
    let user: AccountUser | null = null;
    if (token) user = await this.options.authenticate(token);
    if (!route.options.public) {
      // Trust boundary: nothing below runs for a caller we cannot identify.
      if (!token) throw unauthenticated(errorText('http.signInFirst'));
      if (!user) throw unauthenticated(errorText('auth.sessionExpired'));
      if (user.mustChangePassword && !route.options.allowPendingPassword) {
        throw new HttpError('password_change_required', errorText('auth.passwordChangeRequired'));
      }
    }
    const maxBytes = route.options.maxBodyBytes ?? this.options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    // Behind our own load balancer the last X-Forwarded-For entry is the one it added; earlier ones
    // come from the client and could be anything, so they never pick the throttling key.
    const forwarded = this.options.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').pop()?.trim() : '';
    const ip = forwarded || req.socket.remoteAddress || 'unknown';
    const ctx: RequestContext = {
      req,
      res,
      method,
      path,
      params,
      query,
      ip,
      token,
      log,
      get user(): AccountUser {
        if (!user) throw unauthenticated(errorText('http.signInFirst'));
        return user;
      },
      json: async <T>(schema: ZodType<T>): Promise<T> => {
        const type = String(req.headers['content-type'] ?? '');
        if (type && !/^(application\/(.+\+)?json|text\/plain)\b/i.test(type)) {
          throw new HttpError('unsupported_media_type', errorText('http.jsonRequired'));
        }
        const raw = await readBody(req, maxBytes);
        let value: unknown;
        try {
          value = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
        } catch {
          throw badRequest(errorText('http.jsonInvalid'));
        }
        const parsed = schema.safeParse(value);
        if (!parsed.success) throw badRequest(describeZodError(parsed.error));
        return parsed.data;
      },
      parseQuery: <T>(schema: ZodType<T>): T => {
        const value: Record<string, string> = {};
        for (const [key, item] of query) if (!(key in value)) value[key] = item;
        const parsed = schema.safeParse(value);
        if (!parsed.success) throw badRequest(describeZodError(parsed.error));
        return parsed.data;
      },
      body: async (options = {}): Promise<Buffer> => {
        const type = String(req.headers['content-type'] ?? '');
        if (options.contentType && !type.toLowerCase().startsWith(options.contentType)) {
          throw new HttpError('unsupported_media_type', errorText('http.contentTypeRequired', { contentType: options.contentType }));
        }
        return readBody(req, options.maxBytes ?? maxBytes);
      },
    };
    return route.handler(ctx);
  }

  private send(res: ServerResponse, reply: Reply): void {
    for (const [key, value] of Object.entries(reply.headers ?? {})) res.setHeader(key, value);
    res.setHeader('cache-control', 'no-store');
    if ('json' in reply) {
      const text = JSON.stringify(reply.json);
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } else if ('body' in reply) {
      const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
      res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': body.length });
      res.end(body);
    } else {
      res.writeHead(204);
      res.end();
    }
  }

  private sendError(req: IncomingMessage, res: ServerResponse, error: unknown, method: string, log: Logger): void {
    let httpError: HttpError;
    if (error instanceof HttpError) httpError = error;
    else if (error instanceof ZodError) httpError = badRequest(describeZodError(error));
    else {
      log.error('request failed', { method, path: req.url?.split('?')[0], error });
      httpError = new HttpError('internal', errorText('http.internal'));
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const body: HttpErrorBody = { error: { code: httpError.code, message: httpError.message, ...keyFields(httpError) } };
    if (httpError.retryAfterSeconds !== undefined) {
      body.error.retryAfterSeconds = httpError.retryAfterSeconds;
      res.setHeader('retry-after', String(httpError.retryAfterSeconds));
    }
    for (const [key, value] of Object.entries(httpError.headers ?? {})) res.setHeader(key, value);
    // A body we did not read (too large, or the route failed first) must not be parsed as the next
    // request on this connection: close it after answering, and drain what is still arriving.
    if (!req.complete) {
      res.setHeader('connection', 'close');
      req.resume();
    }
    const text = JSON.stringify(body);
    res.writeHead(httpError.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}

/** Reads a request body up to `maxBytes`; 413 as soon as it is known to be larger. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const tooLarge = (): HttpError => new HttpError('payload_too_large', errorText('http.payloadTooLarge', { kb: Math.floor(maxBytes / 1024) }));
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (!failed) {
        failed = true;
        reject(error);
      }
    });
  });
}
