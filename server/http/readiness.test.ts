import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../db/database.js';
import { startTestApp, type TestApp } from '../../test/app.js';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { startTcpProxy, type TcpProxy } from '../../test/tcp-proxy.js';
import { callHttp } from '../../test/users.js';

const get = (t: { url: string }, path: string) => fetch(`${t.url}${path}`);

describe('/healthz and /readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('both answer 200 while the database answers; Redis is "off" when not configured', async () => {
    const health = await get(t, '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await get(t, '/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up', redis: 'off' });
  });

  it('a configured Redis that cannot be reached makes the instance not ready (503, Retry-After), though it still serves', async () => {
    const down = await startTestApp({ db: t.db, config: { redisUrl: 'redis://127.0.0.1:1' } });
    try {
      const ready = await get(down, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      expect(await ready.json()).toEqual({ status: 'unavailable', database: 'up', redis: 'down' });
      expect((await get(down, '/healthz')).status).toBe(200);
      // The sign-in counters fall back to the database, so requests routed here still work.
      expect((await callHttp(down, 'auth.login', { input: { email: 'nobody@example.com', password: 'nope' } })).status).toBe(401);
    } finally {
      await down.close();
    }
  });
});

// PGlite is inside the process and cannot become unreachable; the PostgreSQL run (CI) covers this.
describe.skipIf(!process.env.TEST_DATABASE_URL)('when PostgreSQL cannot be reached', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    const direct = new URL(db.url!);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(db.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const database = await openPostgres(viaProxy.toString());
    t = await startTestApp({ db: { ...database, label: 'postgresql via proxy', url: viaProxy.toString() } });
  });
  afterAll(async () => {
    await t?.close();
    await t?.db.close();
    await proxy?.close();
    await db?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After (never 500), says so once in the log, and recovers when it is back', async () => {
    expect((await callHttp(t, 'events.list', { method: 'GET', input: {} })).status).toBe(200);
    await proxy.cut();

    for (const call of [
      () => callHttp(t, 'events.list', { method: 'GET', input: {} }),
      () => callHttp(t, 'health', { method: 'GET' }),
      () => callHttp(t, 'auth.register', { input: { email: 'during-outage@example.com', password: 'a long passphrase', name: 'Outage' } }),
    ]) {
      const res = await call();
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.body.error.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_UNAVAILABLE', httpStatus: 503 });
      expect(res.body.error.message).toMatch(/right back/);
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|SELECT|prisma|pg-pool|stack/i);
    }
    const ready = await get(t, '/readyz');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', database: 'down' });
    expect((await get(t, '/healthz')).status).toBe(200);
    expect(t.logs.filter((l) => String(l.msg).startsWith('database unreachable'))).toHaveLength(1);
    expect(t.logs.filter((l) => l.level === 50 && l.msg === 'procedure failed')).toHaveLength(0);

    await proxy.restore();
    await expect
      .poll(async () => (await callHttp(t, 'events.list', { method: 'GET', input: {} })).status, { timeout: 10_000, interval: 200 })
      .toBe(200);
    await expect.poll(async () => (await get(t, '/readyz')).status, { timeout: 5_000, interval: 200 }).toBe(200);
    // Nothing was half-written while it was down.
    expect(await db.prisma.user.count({ where: { email: 'during-outage@example.com' } })).toBe(0);
  });
});
