/** The bench's own settings, read once from the environment (the server's are in server/env.ts). */

export const FIGURES = ['login', 'health', 'auth', 'seatmap', 'reserve', 'purchase', 'overload', 'live'] as const;
export type Figure = (typeof FIGURES)[number];

export interface BenchOptions {
  /** Length of each timed loop (purchase, reserve + release, login storm, bcrypt). */
  seconds: number;
  /** autocannon runs are shorter: they reach a steady rate within a second or two. */
  cannonSeconds: number;
  bcryptCost: number;
  only: ReadonlySet<Figure>;
  /** PostgreSQL server to create the bench databases on; null runs on PGlite. */
  serverUrl: string | null;
  /** Live seat updates: open streams (BENCH_LIVE_SUBSCRIBERS, default 2,000). */
  liveSubscribers: number;
  /** Live seat updates: seat changes a second the bench makes, half holds and half releases (BENCH_LIVE_RATE, default 200). */
  liveRate: number;
  /** Live seat updates: how long after the last change every stream may take to reach the map's version after it before what it misses counts as lost (BENCH_LIVE_DRAIN_SECONDS, default 10). */
  liveDrainSeconds: number;
}

export function readOptions(env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const seconds = positive(env.BENCH_SECONDS, 8, 'BENCH_SECONDS');
  const bcryptCost = positive(env.BENCH_BCRYPT_COST, 12, 'BENCH_BCRYPT_COST');
  const liveSubscribers = positive(env.BENCH_LIVE_SUBSCRIBERS, 2000, 'BENCH_LIVE_SUBSCRIBERS');
  const liveRate = positive(env.BENCH_LIVE_RATE, 200, 'BENCH_LIVE_RATE');
  const liveDrainSeconds = positive(env.BENCH_LIVE_DRAIN_SECONDS, 10, 'BENCH_LIVE_DRAIN_SECONDS');
  if (!Number.isInteger(liveSubscribers)) throw new Error('BENCH_LIVE_SUBSCRIBERS: expected a whole number');
  if (!Number.isInteger(bcryptCost) || bcryptCost < 4 || bcryptCost > 15) throw new Error('BENCH_BCRYPT_COST: expected a whole number from 4 to 15');
  const names = (env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(FIGURES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown figure(s) ${unknown.join(', ')}; choose from ${FIGURES.join(', ')}`);
  return {
    seconds,
    cannonSeconds: Math.max(1, Math.round((seconds * 5) / 8)),
    bcryptCost,
    only: new Set(names.length > 0 ? (names as Figure[]) : FIGURES),
    serverUrl: env.TEST_DATABASE_URL || null,
    liveSubscribers,
    liveRate,
    liveDrainSeconds,
  };
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number (got ${JSON.stringify(value)})`);
  return n;
}
