import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../env.js';
import type { Database } from './database.js';

const execFileAsync = promisify(execFile);

/** Runs a PostgreSQL client tool; a failure says what the tool said, never the command line (it holds the URL and its password). */
async function run(tool: string, args: string[]): Promise<void> {
  try {
    await execFileAsync(tool, args);
  } catch (error) {
    // No `cause`: the original error's message is the command line, URL and password included.
    /* eslint-disable preserve-caught-error */
    const e = error as { code?: unknown; stderr?: unknown };
    if (e.code === 'ENOENT') throw new Error(`${tool} is not installed (the PostgreSQL client tools of the server's version).`);
    throw new Error(`${tool} failed: ${typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr.trim() : 'no message'}`);
    /* eslint-enable preserve-caught-error */
  }
}

/**
 * Backups of either database, as operators run them (`npm run db:backup -- <file>`, `npm run
 * db:restore -- <file>`):
 * - PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`
 *   (the client tools of the server's major version, on PATH). A dump is consistent while the app
 *   runs: pg_dump reads one snapshot.
 * - Embedded (PGlite): a gzipped tarball of its data directory (PGlite's own `dumpDataDir`),
 *   restored into an empty directory. PGlite is one process: stop the app first.
 */
export async function backupDatabase(database: Config['database'], file: string): Promise<void> {
  if (database.kind === 'postgresql') {
    await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${database.url}`]);
    return;
  }
  if (!database.dir) throw new Error('An in-memory database has nothing to back up.');
  if (!fs.existsSync(database.dir)) throw new Error(`No embedded database at ${database.dir}.`);
  const lite = await PGlite.create(database.dir);
  try {
    const dump = await lite.dumpDataDir('gzip');
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  } finally {
    await lite.close();
  }
}

export async function restoreDatabase(database: Config['database'], file: string): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`No backup at ${file}.`);
  if (database.kind === 'postgresql') {
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${database.url}`, file]);
    return;
  }
  if (!database.dir) throw new Error('Restore into a directory (DATABASE_URL=pglite:<dir>), not into memory.');
  if (fs.existsSync(database.dir) && fs.readdirSync(database.dir).length > 0) {
    throw new Error(`${database.dir} is not empty: restore into a new directory, then point DATABASE_URL at it.`);
  }
  fs.mkdirSync(database.dir, { recursive: true });
  const lite = await PGlite.create(database.dir, { loadDataDir: new Blob([fs.readFileSync(file)]) });
  await lite.close();
}

/** Rows per table of the public schema, for checking a restore against its source. */
export async function tableCounts(database: Pick<Database, 'query'>): Promise<Record<string, number>> {
  const tables = await database.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = row!.n;
  }
  return counts;
}
