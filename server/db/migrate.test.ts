import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { openDatabase, openPostgres } from './database.js';
import { migrate, MIGRATIONS_DIR, MigrationError, readMigrations } from './migrate.js';

/** A scratch migrations folder holding copies of the real ones (and whatever a test adds). */
function scratchMigrations(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-migrations-'));
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

async function emptyDatabase(): Promise<TestDatabase> {
  // createTestDatabase migrates; these tests need an untouched one, so undo that.
  const db = await createTestDatabase();
  opened.push(db);
  const c = await db.connect();
  await c.exec('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await c.close();
  return db;
}

describe('migrate', () => {
  it('applies every migration in order and records each as Prisma does', async () => {
    const db = await emptyDatabase();
    const c = await db.connect();
    const result = await migrate(c);
    const files = readMigrations();
    expect(result.applied).toEqual(files.map((m) => m.name));
    const rows = await c.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      const bytes = fs.readFileSync(path.join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(files[i]!.name).toBe(row.migration_name);
    }
    expect(await migrate(c)).toEqual({ applied: [], alreadyApplied: files.length });
    await c.close();
  });

  it('applies only what is pending', async () => {
    const db = await emptyDatabase();
    const c = await db.connect();
    await migrate(c);
    const dir = scratchMigrations({ '29990101000000_add_note': 'ALTER TABLE "User" ADD COLUMN "note" text;' });
    expect((await migrate(c, { dir })).applied).toEqual(['29990101000000_add_note']);
    expect(await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'note'`)).toHaveLength(1);
    await c.close();
  });

  it('refuses to go on when an applied migration was edited, naming the file', async () => {
    const db = await emptyDatabase();
    const c = await db.connect();
    const dir = scratchMigrations();
    await migrate(c, { dir });
    const first = readMigrations(dir)[0]!;
    fs.appendFileSync(first.file, '\n-- an innocent-looking edit\n');
    const attempt = migrate(c, { dir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(migrate(c, { dir })).rejects.toThrow(new RegExp(`${first.name}/migration\\.sql was edited after it was applied`));
    await c.close();
  });

  it('leaves the database as it was when a migration fails, naming the file and the statement', async () => {
    const db = await emptyDatabase();
    const c = await db.connect();
    await migrate(c);
    const dir = scratchMigrations({
      '29990101000000_half_good': [
        'ALTER TABLE "User" ADD COLUMN "nickname" text;',
        '-- this one fails: the table does not exist',
        'ALTER TABLE "Nowhere" ADD COLUMN "x" int;',
      ].join('\n'),
    });
    const failure = await migrate(c, { dir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(
      /29990101000000_half_good\/migration\.sql failed at statement "ALTER TABLE "Nowhere" ADD COLUMN "x" int": .*Nowhere/,
    );
    // The first statement of the failed migration was rolled back and nothing was recorded.
    expect(await c.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'nickname'`)).toEqual([]);
    expect(await c.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '29990101000000_half_good'`)).toEqual([]);
    // The lock was released: a later run still works.
    expect((await migrate(c)).applied).toEqual([]);
    await c.close();
  });

  it('refuses a migration another tool left half-applied', async () => {
    const db = await emptyDatabase();
    const c = await db.connect();
    await migrate(c);
    await c.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, 'x', '29990101000000_broken', now())`, [
      crypto.randomUUID(),
    ]);
    await expect(migrate(c)).rejects.toThrow(/29990101000000_broken was started but never finished/);
    await c.close();
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('lets several instances start at once on one PostgreSQL: each migration runs once', async () => {
    const db = await emptyDatabase();
    const instances = await Promise.all(Array.from({ length: 4 }, () => openPostgres(db.url!)));
    opened.push(...instances);
    const connections = await Promise.all(instances.map((i) => i.connect()));
    const results = await Promise.all(connections.map((c) => migrate(c)));
    const files = readMigrations();
    // Exactly one instance applied each migration; the others found it done.
    expect(results.flatMap((r) => r.applied).sort()).toEqual(files.map((m) => m.name));
    expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
    const rows = await connections[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0]!.n).toBe(files.length);
    await Promise.all(connections.map((c) => c.close()));
  });

  it('works on a PGlite folder across restarts (the embedded default)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-pglite-'));
    const first = await openDatabase({ kind: 'pglite', dir });
    expect((await migrate(await first.connect())).applied.length).toBeGreaterThan(0);
    await first.prisma.user.create({ data: { email: 'kept@example.com', name: 'Kept', passwordHash: 'x' } });
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dir });
    opened.push(second);
    expect((await migrate(await second.connect())).applied).toEqual([]);
    expect(await second.prisma.user.count()).toBe(1);
  });
});
