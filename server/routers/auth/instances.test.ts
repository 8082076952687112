import crypto from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { callHttp, createUser, signIn } from '../../../test/users.js';
import { buildApp } from '../../app.js';
import type { Config } from '../../env.js';
import { testConfig } from '../../../test/config.js';
import { startTcpProxy } from '../../../test/tcp-proxy.js';
import { openPostgres } from '../../db/database.js';
import { STALE_MS } from '../../services/auth/auth-changes.js';

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

  it('logout on instance A refuses the access token on A and on B from the very next request', async () => {
    const u = await createUser(a);
    const s = await signIn(a, u.email, u.password);
    expect((await me(b, s.accessToken)).status).toBe(200);
    expect((await callHttp(a, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } })).status).toBe(200);
    // A answered the logout only once B had read it: no window, no polling here.
    expect((await me(b, s.accessToken)).status).toBe(401);
    expect((await me(a, s.accessToken)).status).toBe(401);
  });

  it('a password change on B ends the other sessions on B and on A from the very next request', async () => {
    const u = await createUser(a);
    const kept = await signIn(b, u.email, u.password);
    const other = await signIn(a, u.email, u.password);
    const res = await callHttp(b, 'profile.changePassword', {
      input: { currentPassword: u.password, newPassword: 'a brand new passphrase' },
      headers: { authorization: `Bearer ${kept.accessToken}` },
    });
    expect(res.status).toBe(200);
    expect((await me(a, other.accessToken)).status).toBe(401);
    expect((await me(b, other.accessToken)).status).toBe(401);
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

describe('logout everywhere, with or without Redis', () => {
  it('many logouts on A and B at once: each token is refused on both instances at the next request', async () => {
    const a = await instance(db, {}, 'tessera-test:many:');
    const b = await instance(db, {}, 'tessera-test:many:');
    try {
      const users = await Promise.all(Array.from({ length: 6 }, () => createUser(a)));
      const sessions = await Promise.all(users.map((u, i) => signIn(i % 2 ? a : b, u.email, u.password)));
      await Promise.all(
        sessions.map(async (s, i) => {
          const res = await callHttp(i % 2 ? b : a, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } });
          expect(res.status).toBe(200);
          expect((await me(a, s.accessToken)).status).toBe(401);
          expect((await me(b, s.accessToken)).status).toBe(401);
        }),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("when B misses the notification (its listening connection silently dead), A's logout waits for B's poll, so B refuses at once", async () => {
    // B hears nothing: only its 1 s poll brings it revocations.
    const deaf: TestDatabase = { ...db, listen: async () => ({ close: async () => {} }) };
    const a = await instance(db, {}, 'tessera-test:deaf:');
    const b = await instance(deaf, {}, 'tessera-test:deaf:');
    try {
      for (let i = 0; i < 3; i++) {
        const u = await createUser(a);
        const s = await signIn(a, u.email, u.password);
        expect((await me(b, s.accessToken)).status).toBe(200);
        expect((await callHttp(a, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } })).status).toBe(200);
        expect((await me(b, s.accessToken)).status).toBe(401);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});

// PGlite is inside the process and cannot be cut off; the PostgreSQL run (CI) covers this.
describe.skipIf(!process.env.TEST_DATABASE_URL)('an instance cut off from the database', () => {
  it('a logout elsewhere waits at most a few seconds for it; until it can read the change again it trusts no token (503), then refuses it', async () => {
    const direct = new URL(db.url!);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const cutOffDb = await openPostgres(viaProxy.toString());
    const a = await instance(db, {}, 'tessera-test:cut:');
    const b = await instance({ ...cutOffDb, label: 'postgresql via proxy', url: viaProxy.toString() }, {}, 'tessera-test:cut:');
    try {
      const u = await createUser(a);
      const s = await signIn(a, u.email, u.password);
      expect((await me(b, s.accessToken)).status).toBe(200);
      await proxy.cut();
      const started = performance.now();
      expect((await callHttp(a, 'auth.logout', { headers: { authorization: `Bearer ${s.accessToken}` } })).status).toBe(200);
      const waited = performance.now() - started;
      // A waited until B's latest read was STALE_MS old (B could not follow); never longer than that and a little.
      expect(waited).toBeGreaterThan(1_000);
      expect(waited).toBeLessThan(STALE_MS + 2_000);
      // B has not seen the logout and cannot: it must not answer from memory.
      const during = await me(b, s.accessToken);
      expect(during.status).toBe(503);
      expect(during.body.error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE' });
      await proxy.restore();
      await expect.poll(async () => (await me(b, s.accessToken)).status, { timeout: 15_000, interval: 200 }).not.toBe(503);
      expect((await me(b, s.accessToken)).status).toBe(401);
    } finally {
      await proxy.restore().catch(() => {});
      await a.close();
      await b.close();
      await cutOffDb.close();
      await proxy.close();
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
