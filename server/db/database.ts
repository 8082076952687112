import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../env.js';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/** A single raw connection: what migrations and locks need (one session, many statements). */
export interface SqlConnection {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (simple query protocol). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export interface Database {
  prisma: PrismaClient;
  kind: 'pglite' | 'postgresql';
  /** A dedicated connection; the caller closes it. */
  connect(): Promise<SqlConnection>;
  close(): Promise<void>;
}

/**
 * Prisma clients use `errorFormat: 'minimal'`: the default formats quote the failing call with its
 * arguments (a password hash, a token hash) into the error message, which the error log would keep.
 */
export async function openDatabase(database: Config['database']): Promise<Database> {
  return database.kind === 'pglite' ? openPglite(database.dir) : openPostgres(database.url);
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
    connect: async () => connection,
    async close() {
      await prisma.$disconnect();
      await lite.close();
    },
  };
}

export async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // A dropped idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), errorFormat: 'minimal' });
  return {
    prisma,
    kind: 'postgresql',
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
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
