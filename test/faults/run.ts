/**
 * `npm run test:faults`: two real app instances on a private PostgreSQL cluster and a private
 * Redis, under a purchase load, while instance A is SIGKILLed every few seconds, PostgreSQL
 * restarts once and Redis dies once (and comes back empty). Then: sign-outs must hold on both
 * instances, and the database must be consistent and agree with every answer the buyers got.
 * Exit 0 only when every check passes. FAULTS_SECONDS (default 60): the load phase;
 * FAULTS_WORKERS (30); FAULTS_KILL_EVERY_SECONDS (default from FAULTS_SECONDS, 3 to 7).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUYER_PASSWORD, BUYERS, fillFixture, ROWS, SEATS_PER_ROW } from '../../bench/lib/fixture.js';
import { freePort } from '../../bench/lib/server.js';
import { openPostgres } from '../../server/db/database.js';
import { migrate } from '../../server/db/migrate.js';
import { closePasswordPool } from '../../server/lib/passwords.js';
import { admin } from '../db.js';
import { signIn } from './api.js';
import { runChaos } from './chaos.js';
import { checkIntegrity, checkRevocation, type Check } from './checks.js';
import { startPostgres, startRedis, startWatchdog, type PostgresCluster, type RedisServer } from './infra.js';
import { allReady, AppInstance } from './instance.js';
import { Ledger, runLoad, type Buyer } from './load.js';
import { printReport } from './report.js';
import { note, sleep } from './timeline.js';

const BCRYPT_COST = 4;
const MIN_KILLS = 3;
const DATABASE = 'tessera_faults';

function envNumber(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${JSON.stringify(value)})`);
  return n;
}

const seconds = envNumber('FAULTS_SECONDS', 60);
const workers = Math.round(envNumber('FAULTS_WORKERS', 30));
// Short runs kill more often, so that even 20 s make at least three kills.
const killEverySeconds = envNumber('FAULTS_KILL_EVERY_SECONDS', Math.min(7, Math.max(3, seconds / 6)));

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-faults-'));
// The postgres OS user must reach its cluster's directory inside.
fs.chmodSync(runDir, 0o755);
const redisPidFile = path.join(runDir, 'redis.pid');
const watchdog = startWatchdog({ runDir, pgDataDir: path.join(runDir, 'pg', 'data'), redisPidFile });

let postgres: PostgresCluster | null = null;
let redis: RedisServer | null = null;
const instances: AppInstance[] = [];

let cleaning: Promise<void> | null = null;
/** Stops everything this run started and removes its directory; once, whatever called it. */
const cleanup = () =>
  (cleaning ??= (async () => {
    const step = async (what: string, run: () => Promise<unknown>) => {
      await run().catch((error: unknown) => console.error(`cleanup: ${what} failed: ${(error as Error).message}`));
    };
    await Promise.all(instances.map((i) => step(`stopping instance ${i.name}`, () => i.close())));
    await step('stopping Redis', async () => redis?.stop());
    await step('stopping PostgreSQL', async () => postgres?.stop());
    await step('removing the run directory', async () => fs.rmSync(runDir, { recursive: true, force: true }));
    watchdog.dismiss();
  })());

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the instances, Redis and PostgreSQL`);
    void cleanup().finally(() => process.exit(130));
  });
}

async function main(): Promise<boolean> {
  note(`run directory ${runDir}`);
  postgres = await startPostgres(path.join(runDir, 'pg'));
  note(`private PostgreSQL cluster on 127.0.0.1:${postgres.port}`);
  redis = await startRedis(path.join(runDir, 'redis'), redisPidFile);
  note(`private redis-server on 127.0.0.1:${redis.port}`);

  const serverUrl = `postgresql://postgres@127.0.0.1:${postgres.port}/postgres`;
  const databaseUrl = `postgresql://postgres@127.0.0.1:${postgres.port}/${DATABASE}`;
  await admin(serverUrl, `CREATE DATABASE ${DATABASE}`);
  const fixture = await prepareDatabase(databaseUrl);
  note(`migrated; fixture: 1 event on sale, ${ROWS * SEATS_PER_ROW} seats, ${fixture.buyers.length} buyers`);

  const shared = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    JWT_SECRET: crypto.randomBytes(48).toString('base64url'),
    MFA_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
    BCRYPT_COST: String(BCRYPT_COST),
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  for (const name of ['A', 'B']) {
    const port = await freePort();
    const dataDir = path.join(runDir, `instance-${name}`);
    fs.mkdirSync(dataDir);
    instances.push(new AppInstance(name, port, { ...shared, PORT: String(port), DATA_DIR: dataDir }, path.join(runDir, `instance-${name}.log`)));
  }
  const [a, b] = instances as [AppInstance, AppInstance];
  await Promise.all(instances.map((i) => i.start()));
  if (!(await allReady(instances, 60_000))) throw new Error('the instances did not answer /readyz 200 within 60 s');
  note(`instances A (${a.url}) and B (${b.url}) ready`);

  const buyers = await signInBuyers(fixture.buyers, instances);
  note(`${buyers.length} buyers signed in`);

  const ledger = new Ledger();
  const from = Date.now();
  const until = from + seconds * 1000;
  note(`load: ${workers} workers for ${seconds} s; A is killed every ~${killEverySeconds.toFixed(1)} s`, { fault: true });
  const progress = setInterval(() => note(`  ${ledger.keys} purchases, ${ledger.sales.size} sold, ${ledger.retries} retries`), 10_000);
  const [chaos] = await Promise.all([
    runChaos({ victim: a, postgres, redis, from, until, killEveryMs: killEverySeconds * 1000 }),
    runLoad({ eventId: fixture.eventId, buyers, instances, workers, until, maxAttempts: 8, timeoutMs: 10_000, replaySample: 0.05 }, ledger),
  ]);
  clearInterval(progress);
  note('load ended', { fault: true });

  const checks: Check[] = [];
  const ready = await allReady(instances, 60_000);
  checks.push({ name: 'both instances ready after the load (/readyz 200 within 60 s)', pass: ready, detail: ready ? 'yes' : 'no' });
  if (ready) {
    const account = (i: number) => ({ email: fixture.buyers[i]!.email, password: BUYER_PASSWORD });
    checks.push(await checkRevocation(a, b, account(BUYERS - 1)));
    checks.push(await checkRevocation(b, a, account(BUYERS - 2)));
  }

  // The instances stop first, so nothing changes under the SQL.
  await Promise.all(instances.map((i) => i.stop()));
  const integrity = await checkIntegrity(databaseUrl, ledger);
  return printReport(
    {
      setup: `2 instances, ${workers} workers, private PostgreSQL (port ${postgres.port}) and Redis (port ${redis.port}); ${ROWS * SEATS_PER_ROW} seats, ${BUYERS} buyers`,
      loadSeconds: seconds,
      ledger,
      chaos,
      counts: integrity.counts,
      committedUnanswered: integrity.committedUnanswered,
      rescuedByRetry: integrity.rescuedByRetry,
      checks: [...integrity.checks, ...checks],
      logs: Object.fromEntries(instances.map((i) => [i.name, i.logFile])),
    },
    MIN_KILLS,
  );
}

/** Migrates with the app's migrator and fills the bench's fixture through the app's services; the connection is closed after. */
async function prepareDatabase(url: string) {
  const db = await openPostgres(url, { poolSize: 5 });
  try {
    const connection = await db.connect();
    try {
      await migrate(connection);
    } finally {
      await connection.close();
    }
    return await fillFixture(db, BCRYPT_COST);
  } finally {
    await db.close();
    await closePasswordPool();
  }
}

/** Every buyer's access token (auth.token, Basic credentials), signed in on alternating instances, ten at a time. */
async function signInBuyers(accounts: ReadonlyArray<{ id: string; email: string }>, on: readonly AppInstance[]): Promise<Buyer[]> {
  const buyers: Buyer[] = [];
  for (let i = 0; i < accounts.length; i += 10) {
    const batch = accounts.slice(i, i + 10);
    const tokens = await Promise.all(batch.map((account, j) => signIn(on[(i + j) % on.length]!.url, account.email, BUYER_PASSWORD)));
    batch.forEach((account, j) => buyers.push({ ...account, token: tokens[j]! }));
  }
  return buyers;
}

let passed = false;
try {
  passed = await main();
} catch (error) {
  console.error(`\nThe run failed: ${(error as Error).stack ?? String(error)}`);
}
await cleanup();
// A moment for the last lines of output to be written before the exit.
await sleep(50);
process.exit(passed ? 0 : 1);
