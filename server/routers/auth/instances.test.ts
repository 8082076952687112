import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';
import { buildApp } from '../../app.js';
import type { Config } from '../../env.js';
import { testConfig } from '../../../test/config.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const haveRedis = await redisAnswers(REDIS_URL);

/** One more instance of the app on a shared database, with its own Redis key prefix per test run. */
async function instance(
  db: TestDatabase,
  config: Partial<Config>,
  redisPrefix: string,
): Promise<Pick<TestApp, 'app' | 'url' | 'close'> & { prefix: string }> {
  const app = await buildApp({ db, config: testConfig(config), logger: false, clientDir: null, redisPrefix });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return { app, prefix: redisPrefix, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => app.close() };
}

/** Another instance learns of a change by NOTIFY (milliseconds) or, failing that, by its 2 s poll. */
const PROPAGATION = { timeout: 2_500, interval: 20 };

const me = (t: { url: string }, token: string) => callHttp(t, 'auth.me', { method: 'GET', headers: { authorization: `Bearer ${token}` } });

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

describe.skipIf(!haveRedis)(`two instances sharing one database and Redis (${REDIS_URL})`, () => {
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  beforeAll(async () => {
    const prefix = `tessera-test:${crypto.randomBytes(6).toString('hex')}:`;
    const config = { redisUrl: REDIS_URL, authRateLimitPerMinute: 6 };
    a = await instance(db, config, prefix);
    b = await instance(db, config, prefix);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('logout on instance A refuses the access token there at once and on instance B within the 2 s backstop', async () => {
    const u = await createUser(a);
    const s = await signIn(a, u.email, u.password);
    expect((await me(b, s.accessToken)).status).toBe(200);
    expect((await callHttp(a, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } })).status).toBe(200);
    // At once where the logout ran; elsewhere when PostgreSQL's notification arrives (the poll is the 2 s backstop).
    expect((await me(a, s.accessToken)).status).toBe(401);
    await expect.poll(async () => (await me(b, s.accessToken)).status, PROPAGATION).toBe(401);
  });

  it('a password change on B ends the other sessions on B at once and on A within the 2 s backstop', async () => {
    const u = await createUser(a);
    const kept = await signIn(b, u.email, u.password);
    const other = await signIn(a, u.email, u.password);
    const res = await callHttp(b, 'profile.changePassword', {
      input: { currentPassword: u.password, newPassword: 'a brand new passphrase' },
      headers: { authorization: `Bearer ${kept.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect((await me(b, other.accessToken)).status).toBe(401);
    await expect.poll(async () => (await me(a, other.accessToken)).status, PROPAGATION).toBe(401);
    expect((await me(a, kept.accessToken)).status).toBe(200);
  });

  it('the sign-in counters live in Redis and are shared by the instances', async () => {
    const pair: number[] = [];
    for (let i = 0; i < 6; i++) {
      const target = i % 2 === 0 ? a : b;
      pair.push((await callHttp(target, 'auth.login', { input: { email: 'nobody@example.com', password: 'nope' } })).status);
    }
    // Five failures of one email from one address close that pair, whichever instance saw them.
    expect(pair).toEqual([401, 401, 401, 401, 401, 429]);
    const probe = new Redis(REDIS_URL);
    try {
      expect((await probe.keys(`${a.prefix}rl:pair:*`)).length).toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }
  });

  it('the per-address limit counts failures across accounts on every instance; successful sign-ins do not count', async () => {
    const fresh = await instance(db, { redisUrl: REDIS_URL, authRateLimitPerMinute: 4 }, `tessera-test:${crypto.randomBytes(6).toString('hex')}:`);
    const other = await instance(db, { redisUrl: REDIS_URL, authRateLimitPerMinute: 4 }, fresh.prefix);
    try {
      const u = await createUser(fresh);
      for (let i = 0; i < 6; i++) await signIn(i % 2 ? fresh : other, u.email, u.password);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        statuses.push(
          (await callHttp(i % 2 ? fresh : other, 'auth.login', { input: { email: `nobody-${i}@example.com`, password: 'nope' } })).status,
        );
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await fresh.close();
      await other.close();
    }
  });
});

describe('without Redis', () => {
  it('a restarted instance still refuses tokens of sessions revoked before the restart', async () => {
    const first = await startTestApp({ db });
    const u = await createUser(first);
    const s = await signIn(first, u.email, u.password);
    await callHttp(first, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } });
    await first.close();
    const second = await startTestApp({ db });
    try {
      expect((await me(second, s.accessToken)).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('while Redis cannot be reached, revocations still hold on every instance (they never depended on it)', async () => {
    const down = await instance(db, { redisUrl: 'redis://127.0.0.1:1' }, 'tessera-test:down:');
    try {
      const u = await createUser(down);
      const s = await signIn(down, u.email, u.password);
      expect((await me(down, s.accessToken)).status).toBe(200);
      expect((await callHttp(down, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } })).status).toBe(200);
      const other = await instance(db, { redisUrl: 'redis://127.0.0.1:1' }, 'tessera-test:down:');
      try {
        expect((await me(other, s.accessToken)).status).toBe(401);
      } finally {
        await other.close();
      }
    } finally {
      await down.close();
    }
  });
});
