/**
 * `npm run bench`: the real server as a child process on a prepared fixture, driven over HTTP,
 * every figure next to a baseline measured in the same run; one markdown table at the end.
 * PGlite by default; with TEST_DATABASE_URL, fresh databases on that PostgreSQL server.
 * BENCH_SECONDS (default 8), BENCH_ONLY=login,health,auth,seatmap,reserve,purchase,overload,live,
 * BENCH_BCRYPT_COST (default 12), BENCH_LIVE_SUBSCRIBERS (default 2000), BENCH_LIVE_RATE (default 200),
 * BENCH_LIVE_DRAIN_SECONDS (default 10).
 * See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { authFigure, healthFigure } from './figures/health.js';
import { signInBuyers } from './figures/login.js';
import { purchaseFigure, type PurchaseOutcome } from './figures/purchase.js';
import { reserveFigure } from './figures/reserve.js';
import { seatMapFigure } from './figures/seat-map.js';
import { overloadFigure } from './figures/overload.js';
import { liveFigure } from './figures/live.js';
import type { BenchContext } from './lib/context.js';
import { createBenchDatabases, type SqlPool } from './lib/databases.js';
import { fillFixture, type Fixture } from './lib/fixture.js';
import { HttpClient, trpcData, trpcPath } from './lib/http.js';
import { countSales, integrityProblems } from './lib/integrity.js';
import { readOptions, type BenchOptions } from './lib/options.js';
import { cpuBusyPercent } from './lib/machine.js';
import { REPO_ROOT, startServer, type RunningServer } from './lib/server.js';
import { row, renderTable, type Row } from './lib/table.js';

let options: BenchOptions;
try {
  options = readOptions();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const databases = await createBenchDatabases(options.serverUrl);
let server: RunningServer | null = null;
let api: HttpClient | null = null;
let baselinePool: Promise<SqlPool> | null = null;

let cleaning: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= (async () => {
    api?.close();
    await server?.stop().catch((e: unknown) => console.error('stopping the server failed:', e));
    await baselinePool?.then((p) => p.close()).catch(() => {});
    await databases.drop().catch((e: unknown) => console.error('dropping the bench databases failed:', e));
  })());
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: stopping the server and removing the bench databases`);
    void cleanup().finally(() => process.exit(130));
  });
}

const busy = async () => {
  const percent = await cpuBusyPercent();
  return percent === null ? 'n/a' : `${percent.toFixed(0)}%`;
};
const busyAtStart = await busy();
const started = performance.now();
try {
  const header = describeRun();
  console.log(header);

  // The fixture goes in before the server starts, and the database is closed again: PGlite is
  // one process's, and a PostgreSQL template copy needs its source without connections.
  console.log(`\npreparing the fixture (${databases.kind}) ...`);
  const app = await databases.openApp();
  let fixture: Fixture;
  try {
    fixture = await fillFixture(app, options.bcryptCost);
  } finally {
    await app.close();
  }
  await databases.copyForBaseline();
  console.log(`fixture ready at ${((performance.now() - started) / 1000).toFixed(1)} s`);

  console.log('starting the server ...');
  server = await startServer({ databaseUrl: databases.appUrl, dataDir: path.join(databases.tmpDir, 'data'), bcryptCost: options.bcryptCost });
  api = new HttpClient(server.url, { maxSockets: 64 });
  console.log(`server pid ${server.pid} on ${server.url}, ready at ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const ctx: BenchContext = {
    options,
    kind: databases.kind,
    serverUrl: server.url,
    serverPid: server.pid,
    appDatabaseUrl: databases.kind === 'postgresql' ? databases.appUrl : null,
    api,
    fixture,
    tokens: [],
    baseline: () => (baselinePool ??= databases.openBaseline()),
  };
  const only = options.only;
  const rows: Row[] = [];
  // The live figure signs streams in as the buyers (to check `mine`), and on PGlite makes its seat changes as them.
  const needsTokens = (['login', 'auth', 'reserve', 'purchase', 'live'] as const).some((f) => only.has(f));
  if (needsTokens) rows.push(...(await signInBuyers(ctx, only.has('login'))));
  if (only.has('health')) rows.push(...(await healthFigure(ctx)));
  if (only.has('auth')) rows.push(...(await authFigure(ctx)));
  if (only.has('seatmap')) rows.push(...(await seatMapFigure(ctx)));
  if (only.has('reserve')) rows.push(...(await reserveFigure(ctx)));
  let purchase: PurchaseOutcome | null = null;
  let summarySold = 0;
  if (only.has('purchase')) {
    purchase = await purchaseFigure(ctx);
    rows.push(...purchase.rows);
    const summary = await api.request('GET', trpcPath('inventory.summary', { eventId: fixture.eventId }));
    summarySold = trpcData<{ sold: number }>(summary).sold;
  }

  if (only.has('live')) rows.push(...(await liveFigure(ctx)));
  if (only.has('overload')) rows.push(...(await overloadFigure(ctx)));

  api.close();
  await server.stop();

  if (purchase) rows.push(await checkIntegrity(ctx, purchase, summarySold));

  console.log(`\n## ${header}\n`);
  console.log(renderTable(rows));
  // Other work on the same cores skews every figure: say whether there was any, before and after.
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\nfinished in ${seconds} s; CPU busy in the second before the run ${busyAtStart}, in the second after it ${await busy()}`);
} catch (error) {
  process.exitCode = 1;
  // After a signal, the requests in flight fail as the cleanup closes everything: not news.
  if (!interrupted) console.error('\nbench failed:', error);
} finally {
  await cleanup();
}

/** After the server has stopped (PGlite: only then may this process open its directory). */
async function checkIntegrity(ctx: BenchContext, purchase: PurchaseOutcome, summarySold: number): Promise<Row> {
  console.log('\n== integrity after the purchase runs');
  const app = await databases.openApp();
  let problems: string[];
  try {
    const connection = await app.connect();
    try {
      const counts = await countSales(connection, ctx.fixture.eventId);
      console.log(
        `  Tessera: ${counts.orders} orders, ${counts.issued} issued tickets, ${counts.sold} SOLD seats, inventory.summary sold ${summarySold}`,
      );
      problems = integrityProblems(counts, { orders: purchase.tesseraOrders, summarySold });
    } finally {
      await connection.close();
    }
  } finally {
    await app.close();
  }
  const [session] = await (await ctx.baseline()).sessions(1);
  const baseCounts = await countSales(session!, ctx.fixture.eventId);
  console.log(`  SQL:     ${baseCounts.orders} orders, ${baseCounts.issued} issued tickets, ${baseCounts.sold} SOLD seats`);
  const baseProblems = integrityProblems(baseCounts, { orders: purchase.baselineOrders });
  for (const p of problems) console.log(`  Tessera FAIL: ${p}`);
  for (const p of baseProblems) console.log(`  SQL FAIL: ${p}`);
  const verdict = (list: string[]) => (list.length === 0 ? 'PASS' : `FAIL (${list.join('; ')})`);
  return row(
    'purchase: no seat sold twice; summary = issued tickets (SQL)',
    verdict(problems),
    verdict(baseProblems),
    '',
    'PASS',
    problems.length === 0,
  );
}

function describeRun(): string {
  let commit = 'unknown commit';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout: the rest of the header still identifies the run.
  }
  const database = databases.kind === 'pglite' ? 'PGlite' : `PostgreSQL (${new URL(options.serverUrl!).host})`;
  return (
    `Tessera bench: ${database}, commit ${commit}, ${new Date().toISOString().slice(0, 10)}, ` +
    `${os.availableParallelism()} cores, Node ${process.versions.node}, ${options.seconds} s loops, bcrypt cost ${options.bcryptCost}`
  );
}
