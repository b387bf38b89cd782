/**
 * PostgreSQL adapter (pg Pool). Several server instances may share one database: tokens, login
 * throttling and migrations are coordinated through it.
 *
 * The connection URL may carry `?schema=NAME`: the adapter then creates that schema if needed and
 * puts it first on every connection's search_path (tests isolate themselves this way; a deployment
 * can share one database between environments).
 */
import pg from 'pg';
import type { Database, Queryable, Row, SqlValue } from './database';

/** `?` placeholders → `$1, $2, …`, skipping quoted strings. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

// BIGINT (int8) and NUMERIC arrive as strings by default; our values (ms timestamps, counters) fit
// in a double, so give both adapters the same JS numbers.
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20) return (value: string) => Number(value);
    return (pg.types.getTypeParser as (oid: number, format?: string) => unknown)(oid, format);
  }) as typeof pg.types.getTypeParser,
};

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function handle(client: pg.Pool | pg.PoolClient): Queryable {
  const values = (params: readonly SqlValue[]): unknown[] => params.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v) : v));
  return {
    dialect: 'postgres',
    all: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), values(params))).rows as T[],
    get: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => (await client.query(numberPlaceholders(sql), values(params))).rows[0] as T | undefined,
    run: async (sql: string, params: readonly SqlValue[] = []) => ({ changes: (await client.query(numberPlaceholders(sql), values(params))).rowCount ?? 0 }),
    exec: async (sql: string) => {
      await client.query(sql);
    },
  };
}

export interface PostgresDatabase extends Database {
  readonly pool: pg.Pool;
  /** The schema in use (`public` unless the URL named one). */
  readonly schema: string;
}

/** Splits `?schema=` off a connection URL. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name in PostgreSQL URL: ${schema}`);
  return { connectionString: parsed.toString(), schema };
}

/** Connects to PostgreSQL at `url` (checks the connection before resolving). */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
  const { connectionString, schema } = parsePostgresUrl(url);
  try {
    return await connect(connectionString, schema, options);
  } catch (error) {
    const where = new URL(connectionString);
    if (where.password) where.password = '***';
    throw new Error(`cannot use PostgreSQL at ${where.toString()}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function connect(connectionString: string, schema: string | null, options: { max?: number }): Promise<PostgresDatabase> {
  if (schema) {
    // Create the schema once, then let every pooled connection start with it on its search_path
    // (a connection parameter, so no query can run before it is set).
    const setup = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await setup.end();
    }
  }
  const live = new pg.Pool({
    connectionString,
    connectionTimeoutMillis: 10_000,
    max: options.max ?? 10,
    types: typeParsers,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  live.on('error', () => undefined); // an idle client dropped by the server; the pool replaces it
  try {
    await live.query('SELECT 1');
  } catch (error) {
    await live.end().catch(() => undefined);
    throw error;
  }
  const direct = handle(live);
  return {
    ...direct,
    pool: live,
    schema: schema ?? 'public',
    transaction: async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
      const client = await live.connect();
      try {
        await client.query('BEGIN');
        const result = await work(handle(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    tables: async () =>
      (
        await live.query<{ table_name: string }>(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        )
      ).rows.map((row) => row.table_name),
    close: () => live.end(),
  };
}
