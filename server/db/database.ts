import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { DEFAULT_POOL_SIZE, type Config } from '../env.js';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/** A single raw connection: what migrations and locks need (one session, many statements). */
export interface SqlConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (simple query protocol). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** A LISTEN on one channel; `close` stops it. */
export interface Listener {
  close(): Promise<void>;
}

export interface ListenOptions {
  onNotify: (payload: string) => void;
  /** The listening connection was (re)established: anything sent while it was down is lost, so catch up. */
  onConnect?: () => void;
  onError?: (error: unknown) => void;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgresql';
  /**
   * One statement straight through the driver, for the few hot paths (reserve, release, purchase,
   * seat-map versions): measured, Prisma's $queryRaw costs 400-700 µs of CPU per call on top of
   * the driver's 60-110 µs, and on a busy instance that CPU is the limit. `name` makes it a
   * prepared statement on PostgreSQL (parsed once per connection). Everything else uses Prisma.
   */
  query<T = Record<string, unknown>>(text: string, values?: unknown[], name?: string): Promise<T[]>;
  /** A dedicated connection; the caller closes it. */
  connect(): Promise<SqlConnection>;
  /** Follows NOTIFYs on a channel over a connection of its own, reconnecting when it drops. */
  listen(channel: string, options: ListenOptions): Promise<Listener>;
  /** The connection pool now (PostgreSQL), for metrics; null for PGlite, which has none. */
  poolStats(): { total: number; idle: number; waiting: number } | null;
  close(): Promise<void>;
}

/** The database as services take it (`deps.db` is the Prisma client, `deps.database` the rest), for callers outside a request: start-up, seeding, tests. */
export function databaseDeps(database: Database): { db: PrismaClient; database: Database } {
  return { db: database.prisma, database };
}

/**
 * Prisma clients use `errorFormat: 'minimal'`: the default formats quote the failing call with its
 * arguments (a password hash, a token hash) into the error message, which the error log would keep.
 */
export async function openDatabase(database: Config['database']): Promise<Database> {
  return database.kind === 'pglite' ? openPglite(database.dir) : openPostgres(database.url, { poolSize: database.poolSize });
}

async function openPglite(dir: string | null): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const lite = await PGlite.create(dir ?? undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite), errorFormat: 'minimal' });
  // PGlite is one in-process session: "connections" share it and closing one is a no-op.
  const connection: SqlConnection = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await lite.query(sql, params)).rows as T[];
    },
    async exec(sql) {
      await lite.exec(sql);
    },
    async close() {},
  };
  return {
    prisma,
    kind: 'pglite',
    // PGlite runs a query only between transactions, so this never lands inside one of Prisma's.
    query: async <T>(text: string, values: unknown[] = []) => (await lite.query(text, values)).rows as T[],
    connect: async () => connection,
    async listen(channel, options) {
      const unlisten = await lite.listen(channel, options.onNotify);
      options.onConnect?.();
      return { close: () => unlisten().catch(() => {}) };
    },
    poolStats: () => null,
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

export async function openPostgres(url: string, options: { poolSize?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? DEFAULT_POOL_SIZE });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), errorFormat: 'minimal' });
  return {
    prisma,
    kind: 'postgresql',
    query: async <T>(text: string, values: unknown[] = [], name?: string) =>
      (await pool.query({ text, values, ...(name ? { name } : {}) })).rows as T[],
    async connect() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return {
        async query<T>(sql: string, params: unknown[] = []) {
          return (await client.query(sql, params)).rows as T[];
        },
        async exec(sql) {
          await client.query(sql);
        },
        async close() {
          await client.end();
        },
      };
    },
    listen: (channel, options) => listenPostgres(url, channel, options),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * LISTEN on a dedicated connection. When it drops (a server restart, a network cut) it is opened
 * again with backoff, and `onConnect` runs each time so the follower can catch up on what it missed.
 */
async function listenPostgres(url: string, channel: string, options: ListenOptions): Promise<Listener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let delay = 100;

  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    c.on('notification', (message) => {
      if (message.channel === channel) options.onNotify(message.payload ?? '');
    });
    c.on('error', (error) => {
      options.onError?.(error);
      reopen(c);
    });
    c.on('end', () => reopen(c));
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (closed) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    delay = 100;
    options.onConnect?.();
  };

  const reopen = (dead: pg.Client) => {
    if (closed || client !== dead || retry) return;
    client = null;
    dead.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    retry = setTimeout(() => {
      retry = null;
      open().catch((error: unknown) => {
        options.onError?.(error);
        delay = Math.min(delay * 2, 5_000);
        if (!closed) schedule();
      });
    }, delay);
    retry.unref();
  };

  await open().catch((error: unknown) => {
    options.onError?.(error);
    schedule();
  });
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
