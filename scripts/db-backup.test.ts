import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { tableCounts } from '../server/db/backup.js';
import { databaseDeps, openDatabase, openPostgres } from '../server/db/database.js';
import { migrate } from '../server/db/migrate.js';
import { seedDemo } from '../server/services/demo/seed-demo.js';
import { admin, createTestDatabase, withDatabase } from '../test/db.js';
import { testConfig } from '../test/config.js';

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-backup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The real entry point, as an operator runs it. */
const cli = (command: 'backup' | 'restore', file: string, databaseUrl: string) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/db-backup.ts', command, file], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'development', DATA_DIR: path.join(tmp, 'data') },
  });

async function seed(database: Awaited<ReturnType<typeof openDatabase>>) {
  const config = testConfig({ dataDir: path.join(tmp, 'data') });
  await seedDemo(databaseDeps(database), config, { bigEventSeats: 1_050, log: () => {} });
  // Something sold too, so orders and issued tickets round-trip.
  const [seat] = await database.query<{ eventId: string; rowName: string; seatNumber: number }>(
    `SELECT "eventId", "rowName", "seatNumber" FROM "Ticket" WHERE status = 'AVAILABLE' LIMIT 1`,
  );
  const [user] = await database.query<{ id: string }>(`SELECT id FROM "User" LIMIT 1`);
  const [sale] = await database.query<{ result: { order?: unknown } }>(
    `SELECT tessera_purchase($1::uuid, $2::uuid, $3::text[], $4::int[], 'backup-test', ARRAY['BACKUPTESTBARCODE0001'], false, 'instant', NULL) AS result`,
    [seat!.eventId, user!.id, [seat!.rowName], [seat!.seatNumber]],
  );
  expect(sale!.result.order).toBeDefined();
}

describe('backup and restore of the embedded database', () => {
  it('round-trips the demo data through npm run db:backup / db:restore: same rows in every table', async () => {
    const dir = path.join(tmp, 'source');
    const source = await openDatabase({ kind: 'pglite', dir });
    const connection = await source.connect();
    await migrate(connection);
    await seed(source);
    const before = await tableCounts(source);
    await source.close();
    expect(before.Ticket).toBeGreaterThan(1_000);
    expect(before.IssuedTicket).toBe(1);

    const file = path.join(tmp, 'embedded.tar.gz');
    const backedUp = await cli('backup', file, `pglite:${dir}`);
    expect(backedUp.stdout).toContain('backed up pglite database');
    expect(fs.statSync(file).mode & 0o077).toBe(0);

    const restoredDir = path.join(tmp, 'restored');
    await cli('restore', file, `pglite:${restoredDir}`);
    const restored = await openDatabase({ kind: 'pglite', dir: restoredDir });
    try {
      expect(await tableCounts(restored)).toEqual(before);
      // The restored database is a working Tessera database: migrations recorded, data readable.
      const [events] = await restored.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Event" WHERE status = 'ON_SALE'`);
      expect(events!.n).toBeGreaterThan(0);
    } finally {
      await restored.close();
    }
  }, 90_000); // migrates, seeds the demo and runs two child processes: about 25 s here, more on a busy machine

  it('refuses to restore over a database that has data, and changes nothing', async () => {
    const file = path.join(tmp, 'embedded.tar.gz');
    const target = path.join(tmp, 'restored');
    const before = fs.readdirSync(target).sort();
    const failed = await cli('restore', file, `pglite:${target}`).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('is not empty');
    expect(fs.readdirSync(target).sort()).toEqual(before);
  });
});

const pgTools = await run('pg_dump', ['--version']).then(
  () => true,
  () => false,
);

describe.skipIf(!process.env.TEST_DATABASE_URL || !pgTools)('backup and restore of a PostgreSQL database (pg_dump / pg_restore)', () => {
  it('round-trips the demo data into a fresh database: same rows in every table', async () => {
    const source = await createTestDatabase();
    const name = `tessera_restore_${Date.now().toString(36)}`;
    const serverUrl = process.env.TEST_DATABASE_URL!;
    try {
      await seed(source);
      const before = await tableCounts(source);
      const file = path.join(tmp, 'pg.dump');
      await cli('backup', file, source.url!);

      await admin(serverUrl, `CREATE DATABASE ${name}`);
      const targetUrl = withDatabase(serverUrl, name);
      await cli('restore', file, targetUrl);
      const restored = await openPostgres(targetUrl);
      try {
        expect(await tableCounts(restored)).toEqual(before);
      } finally {
        await restored.close();
      }
    } finally {
      await source.close();
      await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  }, 90_000);

  it('a failure names the problem without the connection URL', async () => {
    const failed = await cli('backup', path.join(tmp, 'x.dump'), 'postgresql://someone:secret-password@127.0.0.1:1/nope').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('pg_dump failed');
    expect((failed as { stderr: string }).stderr).not.toContain('secret-password');
  });
});
