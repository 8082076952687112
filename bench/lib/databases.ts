import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase, type Database } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrate.js';
import { admin, withDatabase } from '../../test/db.js';
import { sleep } from './stats.js';

/** One statement runner: a PostgreSQL connection, or PGlite's single session. */
export interface SqlSession {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** BEGIN, `fn`, COMMIT; anything `fn` throws rolls back and is rethrown. */
  transaction<T>(fn: (q: Pick<SqlSession, 'query'>) => Promise<T>): Promise<T>;
}

/** The baseline copy, opened for hand-written SQL in the bench process. */
export interface SqlPool {
  /** How the baseline's concurrency works on this database, for the printout. */
  note: string;
  /** `n` sessions for `n` workers: n PostgreSQL connections, or n handles on PGlite's one session. */
  sessions(n: number): Promise<SqlSession[]>;
  close(): Promise<void>;
}

/**
 * The two databases of a run: the app's (the server runs on it) and a copy of the same fixture for
 * the hand-written SQL baselines, so both start from identical seats and neither sees the other's
 * sales. Both are made here and removed by drop().
 */
export interface BenchDatabases {
  kind: 'pglite' | 'postgresql';
  /** What the server gets as DATABASE_URL. */
  appUrl: string;
  /** Scratch directory for this run (PGlite data, the server's DATA_DIR). */
  tmpDir: string;
  /** The app database through the server's own code: migrated, for filling before and checking after the server runs. */
  openApp(): Promise<Database>;
  /** Copies the (closed) app database into the baseline one. Call after filling, before the server starts. */
  copyForBaseline(): Promise<void>;
  openBaseline(): Promise<SqlPool>;
  drop(): Promise<void>;
}

export async function createBenchDatabases(serverUrl: string | null): Promise<BenchDatabases> {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  return serverUrl ? postgresDatabases(serverUrl, tmpDir) : pgliteDatabases(tmpDir);
}

async function migrated(db: Database): Promise<Database> {
  const connection = await db.connect();
  try {
    await migrate(connection);
  } finally {
    await connection.close();
  }
  return db;
}

function pgliteDatabases(tmpDir: string): BenchDatabases {
  const appDir = path.join(tmpDir, 'app-pglite');
  const baselineDir = path.join(tmpDir, 'baseline-pglite');
  return {
    kind: 'pglite',
    appUrl: `pglite:${appDir}`,
    tmpDir,
    openApp: async () => migrated(await openDatabase({ kind: 'pglite', dir: appDir })),
    async copyForBaseline() {
      // PGlite keeps everything in its directory; a closed one copies like any folder.
      fs.cpSync(appDir, baselineDir, { recursive: true });
    },
    async openBaseline() {
      const lite = await PGlite.create(baselineDir);
      const session: SqlSession = {
        query: async <T>(sql: string, params: unknown[] = []) => (await lite.query<T>(sql, params)).rows,
        // PGlite runs one transaction at a time: concurrent callers queue inside transaction().
        transaction: (fn) =>
          lite.transaction((tx) => fn({ query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows })),
      };
      return {
        note: 'PGlite is one session: the workers take turns, one transaction at a time',
        sessions: async (n) => Array.from({ length: n }, () => session),
        close: () => lite.close(),
      };
    },
    async drop() {
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

function postgresDatabases(serverUrl: string, tmpDir: string): BenchDatabases {
  const name = `tessera_bench_${crypto.randomBytes(6).toString('hex')}`;
  const baselineName = `${name}_sql`;
  let created = false;
  return {
    kind: 'postgresql',
    appUrl: withDatabase(serverUrl, name),
    tmpDir,
    async openApp() {
      if (!created) {
        await admin(serverUrl, `CREATE DATABASE ${name}`);
        created = true;
      }
      return migrated(await openDatabase({ kind: 'postgresql', url: withDatabase(serverUrl, name), poolSize: 10 }));
    },
    async copyForBaseline() {
      // A template copy is exact and fast; it needs the source to have no open connections.
      await admin(serverUrl, `CREATE DATABASE ${baselineName} TEMPLATE ${name}`);
    },
    async openBaseline() {
      const url = withDatabase(serverUrl, baselineName);
      // Opened once and shared by the figures: 50 per figure would run into max_connections (100).
      const sessions: SqlSession[] = [];
      const clients: pg.Client[] = [];
      return {
        note: 'one PostgreSQL connection per worker',
        async sessions(n) {
          while (sessions.length < n) {
            const client = await connectWhenRoom(url);
            clients.push(client);
            sessions.push(clientSession(client));
          }
          return sessions.slice(0, n);
        },
        async close() {
          await Promise.all(clients.splice(0).map((c) => c.end()));
        },
      };
    },
    async drop() {
      if (created) {
        await admin(serverUrl, `DROP DATABASE IF EXISTS ${baselineName} WITH (FORCE)`);
        await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

function clientSession(client: pg.Client): SqlSession {
  const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  return {
    query,
    async transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn({ query });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

/**
 * A connection, waiting up to 30 s while the server is at max_connections: a test suite sharing
 * the server holds connections for a while and then lets them go.
 */
export async function connectWhenRoom(url: string): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      if ((error as { code?: string }).code !== '53300' || attempt >= 30) throw error;
      if (attempt === 1) console.log('  PostgreSQL is at max_connections (other clients); waiting for room ...');
      await sleep(1000);
    }
  }
}
