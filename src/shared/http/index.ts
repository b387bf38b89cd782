/**
 * zod schemas of the sync server's HTTP API, shared by the server (which parses every request with
 * them) and its clients (which parse every response with them).
 */
export * from './errors';
export * from './auth';
export * from './directory';
export * from './health';
export * from './exchange';
