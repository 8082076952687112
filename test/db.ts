import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, openPostgres, type Database } from '../server/db/database.js';
import { migrate } from '../server/db/migrate.js';

export interface TestDatabase extends Database {
  /** Which server the suite runs on, for test names. */
  label: string;
  /** The URL of the fresh PostgreSQL database (null on PGlite), for tests that start a second app. */
  url: string | null;
}

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database
 * on the server named by TEST_DATABASE_URL (dropped again by close()).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const db = await openDatabase({ kind: 'pglite', dir: null });
    await migrateDb(db);
    return { ...db, label: 'pglite', url: null };
  }
  const name = `tessera_t_${crypto.randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = await openPostgres(url);
  await migrateDb(db);
  return {
    ...db,
    label: 'postgresql',
    url,
    async close() {
      await db.close();
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function migrateDb(db: Database) {
  const connection = await db.connect();
  try {
    await migrate(connection);
  } finally {
    await connection.close();
  }
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
