import type { ClientContext, Redis, Result } from 'ioredis';
import type { Db } from '../db/database.js';

/**
 * Fixed-window attempt counters shared by every app instance: in Redis when it is configured, else
 * (and whenever Redis cannot answer at once) in the database's "AuthCounter" table. Both stores
 * run the same rule atomically, in one round trip per call.
 */
export interface CounterStep {
  key: string;
  /** Attempts allowed in one window; the next one is refused. */
  max: number;
  windowMs: number;
}

export type HitResult =
  | { ok: true; counts: number[] }
  /** `index`: the refusing step; `count`: its count including the refused attempt (max + 1 is the first refusal). */
  | { ok: false; index: number; count: number; retryAfterMs: number; counts: number[] };

export interface GiveBack {
  key: string;
  /** Forget the whole count (a success resets it) rather than give back one attempt. */
  clear?: boolean;
}

export interface Counters {
  /**
   * Counts one attempt on each step in order. The first step that goes over its maximum refuses;
   * it keeps the refused attempt (so a window is never extended) and later steps are not counted.
   */
  hit(steps: readonly CounterStep[]): Promise<HitResult>;
  /** Gives back one attempt per key (a success that should not count), or clears the key. */
  give(keys: readonly GiveBack[]): Promise<void>;
}

function result(counts: number[], refusedAt: number, retryAfterMs: number): HitResult {
  if (refusedAt === 0) return { ok: true, counts };
  const index = refusedAt - 1;
  return { ok: false, index, count: counts[index]!, retryAfterMs: Math.max(1, retryAfterMs), counts: counts.slice(0, index + 1) };
}

/** The database store: one call of the tessera_hit_counters() function (created by a migration). */
export function sqlCounters(db: Db): Counters {
  return {
    async hit(steps) {
      if (steps.length === 0) return { ok: true, counts: [] };
      const [row] = await db.$queryRaw<Array<{ counts: number[]; refused_at: number; retry_after_ms: number }>>`
        SELECT counts, refused_at, retry_after_ms FROM tessera_hit_counters(
          ${steps.map((s) => s.key)}::text[], ${steps.map((s) => s.max)}::int[], ${steps.map((s) => s.windowMs)}::float8[])`;
      return result(row!.counts, row!.refused_at, Number(row!.retry_after_ms));
    },
    async give(keys) {
      if (keys.length === 0) return;
      await db.$executeRaw`
        WITH g AS (SELECT * FROM unnest(${keys.map((k) => k.key)}::text[], ${keys.map((k) => k.clear === true)}::bool[]) AS g(key, clear)),
        gone AS (DELETE FROM "AuthCounter" c USING g WHERE c.key = g.key AND (g.clear OR c.count <= 1))
        UPDATE "AuthCounter" c SET count = c.count - 1 FROM g WHERE c.key = g.key AND NOT g.clear AND c.count > 1`;
    },
  };
}

// The same rule as tessera_hit_counters(), for Redis: INCR each key, set the window on the first
// hit, stop at the first key over its maximum.
const HIT_SCRIPT = `
local counts = {}
for i = 1, #KEYS do
  local c = redis.call('INCR', KEYS[i])
  local window = tonumber(ARGV[2 * i])
  if c == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  counts[i] = c
  if c > tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[i], window); ttl = window end
    return {counts, i, ttl}
  end
end
return {counts, 0, 0}`;

const GIVE_SCRIPT = `
for i = 1, #KEYS do
  if ARGV[i] == '1' then
    redis.call('DEL', KEYS[i])
  elseif redis.call('EXISTS', KEYS[i]) == 1 and redis.call('DECR', KEYS[i]) <= 0 then
    redis.call('DEL', KEYS[i])
  end
end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    tesseraHit(numKeys: number, ...args: (string | number)[]): Result<[number[], number, number], Context>;
    tesseraGive(numKeys: number, ...args: (string | number)[]): Result<number, Context>;
  }
}

/** The Redis store; keys carry `prefix`. */
export function redisCounters(redis: Redis, prefix: string): Counters {
  redis.defineCommand('tesseraHit', { lua: HIT_SCRIPT });
  redis.defineCommand('tesseraGive', { lua: GIVE_SCRIPT });
  return {
    async hit(steps) {
      if (steps.length === 0) return { ok: true, counts: [] };
      const [counts, refusedAt, ttl] = await redis.tesseraHit(
        steps.length,
        ...steps.map((s) => prefix + s.key),
        ...steps.flatMap((s) => [s.max, Math.ceil(s.windowMs)]),
      );
      return result(counts, refusedAt, ttl);
    },
    async give(keys) {
      if (keys.length === 0) return;
      await redis.tesseraGive(keys.length, ...keys.map((k) => prefix + k.key), ...keys.map((k) => (k.clear ? '1' : '0')));
    },
  };
}

/** After a failure, how long the fallback answers alone before the primary is tried again. */
const RETRY_PRIMARY_AFTER_MS = 5_000;

/**
 * Redis first, the database when Redis fails (the Redis client fails fast rather than queue), and
 * for a few seconds after a failure the database alone, so an outage costs no wait per request.
 * The two stores do not share counts, so an outage starts the windows afresh in the database: a
 * short allowance, never a lock-out.
 */
export function failoverCounters(primary: Counters, fallback: Counters, onError: (error: unknown) => void): Counters {
  let primaryDownUntil = 0;
  const use = async <T>(run: (store: Counters) => Promise<T>): Promise<T> => {
    if (Date.now() < primaryDownUntil) return run(fallback);
    try {
      return await run(primary);
    } catch (error) {
      primaryDownUntil = Date.now() + RETRY_PRIMARY_AFTER_MS;
      onError(error);
      return run(fallback);
    }
  };
  return {
    hit: (steps) => use((store) => store.hit(steps)),
    give: (keys) => use((store) => store.give(keys)),
  };
}
