import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { failoverCounters, redisCounters, sqlCounters, type Counters } from './counters.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(): Promise<Redis | null> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return redis;
  } catch {
    redis.disconnect();
    return null;
  }
}

let db: TestDatabase;
let redis: Redis | null;
beforeAll(async () => {
  db = await createTestDatabase();
  redis = await redisAnswers();
});
afterAll(async () => {
  redis?.disconnect();
  await db.close();
});

const stores: Array<[string, () => Counters | null]> = [
  ['the database', () => sqlCounters(db.prisma)],
  ['Redis', () => (redis ? redisCounters(redis, `tessera-test:${crypto.randomBytes(6).toString('hex')}:`) : null)],
];

describe.each(stores)('attempt counters in %s', (_name, make) => {
  const key = () => `k:${crypto.randomUUID()}`;

  it('counts each step, refuses at the first one over its maximum and leaves the later ones alone', async (ctx) => {
    const counters = make();
    if (!counters) return ctx.skip();
    const [a, b, c] = [key(), key(), key()];
    const steps = [
      { key: a, max: 10, windowMs: 60_000 },
      { key: b, max: 2, windowMs: 60_000 },
      { key: c, max: 10, windowMs: 60_000 },
    ];
    expect(await counters.hit(steps)).toEqual({ ok: true, counts: [1, 1, 1] });
    expect(await counters.hit(steps)).toEqual({ ok: true, counts: [2, 2, 2] });
    const refused = await counters.hit(steps);
    expect(refused).toMatchObject({ ok: false, index: 1, count: 3, counts: [3, 3] });
    expect(refused.ok === false && refused.retryAfterMs).toBeGreaterThan(59_000);
    // c was not counted by the refused attempt.
    expect(await counters.hit([{ key: c, max: 10, windowMs: 60_000 }])).toEqual({ ok: true, counts: [3] });
  });

  it('is exact under 100 parallel attempts: as many pass as the maximum allows', async (ctx) => {
    const counters = make();
    if (!counters) return ctx.skip();
    const k = key();
    const results = await Promise.all(Array.from({ length: 100 }, () => counters.hit([{ key: k, max: 7, windowMs: 60_000 }])));
    expect(results.filter((r) => r.ok)).toHaveLength(7);
    expect(results.filter((r) => !r.ok && r.count === 8)).toHaveLength(1);
  });

  it('gives an attempt back, or clears the count; a window that ended starts again', async (ctx) => {
    const counters = make();
    if (!counters) return ctx.skip();
    const [k, gone] = [key(), key()];
    for (let i = 0; i < 3; i++) await counters.hit([{ key: k, max: 3, windowMs: 60_000 }]);
    await counters.give([{ key: k }]);
    expect(await counters.hit([{ key: k, max: 3, windowMs: 60_000 }])).toEqual({ ok: true, counts: [3] });
    await counters.give([{ key: k, clear: true }, { key: gone }]);
    expect(await counters.hit([{ key: k, max: 3, windowMs: 60_000 }])).toEqual({ ok: true, counts: [1] });
    expect(await counters.hit([{ key: gone, max: 3, windowMs: 60_000 }])).toEqual({ ok: true, counts: [1] });

    const short = key();
    await counters.hit([{ key: short, max: 1, windowMs: 50 }]);
    expect((await counters.hit([{ key: short, max: 1, windowMs: 50 }])).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(await counters.hit([{ key: short, max: 1, windowMs: 50 }])).toEqual({ ok: true, counts: [1] });
  });
});

describe('Redis with the database behind it', () => {
  it('when Redis cannot be reached the database counts, without waiting for Redis', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    const errors: unknown[] = [];
    const counters = failoverCounters(redisCounters(dead, 'x:'), sqlCounters(db.prisma), (e) => errors.push(e));
    const k = `k:${crypto.randomUUID()}`;
    expect(await counters.hit([{ key: k, max: 5, windowMs: 60_000 }])).toEqual({ ok: true, counts: [1] });
    expect(await counters.hit([{ key: k, max: 5, windowMs: 60_000 }])).toEqual({ ok: true, counts: [2] });
    // The first failure is reported; for a few seconds after it Redis is not even tried.
    expect(errors).toHaveLength(1);
    expect(await db.prisma.authCounter.findUnique({ where: { key: k }, select: { count: true } })).toEqual({ count: 2 });
    dead.disconnect();
  });
});
