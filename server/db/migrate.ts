import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SqlConnection } from './database.js';
import { describeStatement, splitSql } from './split-sql.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../prisma/migrations');

/** Any fixed 64-bit key: every Tessera instance takes the same lock before migrating. */
const LOCK_KEY = 7_305_019_211_483_612n;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface Migration {
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

/** The migrations on disk, in Prisma's layout: <dir>/<timestamp>_<name>/migration.sql, in name order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      const bytes = fs.readFileSync(file);
      // Prisma records sha256 of the file's bytes, hex encoded.
      return { name, file, sql: bytes.toString('utf8'), checksum: crypto.createHash('sha256').update(bytes).digest('hex') };
    });
}

// Exactly Prisma's own bookkeeping table, so `prisma migrate status` agrees with us.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations: under an advisory lock (several instances may start at once),
 * each in its own transaction, recorded as Prisma records them. Refuses to go on when an
 * applied migration's file was edited, or when a migration was left failed by another tool.
 */
export async function migrate(connection: SqlConnection, options: { dir?: string; log?: (line: string) => void } = {}): Promise<MigrateResult> {
  const migrations = readMigrations(options.dir);
  await connection.query('SELECT pg_advisory_lock($1)', [LOCK_KEY.toString()]);
  try {
    await connection.exec(CREATE_TABLE);
    const rows = await connection.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row]));
    for (const row of rows) {
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${row.migration_name} was started but never finished (a failed run of another tool); resolve it with \`prisma migrate resolve\` before starting`,
        );
      }
    }
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row && row.checksum !== migration.checksum) {
        throw new MigrationError(
          `Migration ${path.relative(process.cwd(), migration.file)} was edited after it was applied (checksum ${migration.checksum.slice(0, 12)}… differs from the recorded ${row.checksum.slice(0, 12)}…); restore the file and add a new migration instead`,
        );
      }
    }
    const result: MigrateResult = { applied: [], alreadyApplied: 0 };
    for (const migration of migrations) {
      if (applied.has(migration.name)) {
        result.alreadyApplied += 1;
        continue;
      }
      await applyOne(connection, migration);
      options.log?.(`applied migration ${migration.name}`);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await connection.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY.toString()]);
  }
}

async function applyOne(connection: SqlConnection, migration: Migration): Promise<void> {
  const statements = splitSql(migration.sql);
  await connection.exec('BEGIN');
  try {
    for (const statement of statements) {
      try {
        await connection.exec(statement);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          `Migration ${path.relative(process.cwd(), migration.file)} failed at statement "${describeStatement(statement)}": ${reason}; nothing of it was applied`,
        );
      }
    }
    await connection.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)
       VALUES ($1, $2, now(), $3, NULL, now(), 1)`,
      [crypto.randomUUID(), migration.checksum, migration.name],
    );
    await connection.exec('COMMIT');
  } catch (error) {
    await connection.exec('ROLLBACK');
    throw error;
  }
}
