import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, startTestApp, type TestApp } from '../../test/app.js';
import { createEventWithSeats, seats } from '../../test/inventory-fixtures.js';
import { setupTestApp } from '../../test/setup-app.js';
import { authUserFor, callHttp, createUser } from '../../test/users.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const { t } = setupTestApp([], { config: { metricsToken: TOKEN, authRateLimitPerMinute: 3 } });

const scrape = async (token = TOKEN) => fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
/** The value of one sample line, e.g. `tessera_requests_total{procedure="health",status="200"}`; 0 when absent. */
async function sample(name: string): Promise<number> {
  const text = await (await scrape()).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

describe('/metrics', () => {
  it('needs the token: none or a wrong one is 401, and nothing is counted for it', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await scrape('metrics-token-for-tests-wrong!!!!!')).status).toBe(401);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('tessera_process_cpu_seconds_total');
  });

  it('counts requests per procedure and status, with a latency histogram', async () => {
    const before = await sample('tessera_requests_total{procedure="health",status="200"}');
    for (let i = 0; i < 3; i++) await callHttp(t, 'health', { method: 'GET' });
    // A request is counted when its answer has gone out (onResponse), which may be a moment after the client has it.
    await expect.poll(() => sample('tessera_requests_total{procedure="health",status="200"}')).toBe(before + 3);
    expect(await sample('tessera_request_duration_seconds_count{procedure="health",status="200"}')).toBeGreaterThanOrEqual(3);
  });

  it('names no procedure a caller made up: unknown names and batches get fixed labels', async () => {
    const made = `evil${crypto.randomBytes(4).toString('hex')}`;
    await fetch(`${t.url}/trpc/${made}`);
    await fetch(`${t.url}/trpc/health,health?batch=1`);
    await expect.poll(() => sample('tessera_requests_total{procedure="batch",status="200"}')).toBeGreaterThan(0);
    await expect.poll(() => sample('tessera_requests_total{procedure="unknown",status="404"}')).toBeGreaterThan(0);
    expect(await (await scrape()).text()).not.toContain(made);
  });

  it('counts mails sent, and shows the database pool on PostgreSQL', async () => {
    const email = `metrics-${crypto.randomBytes(4).toString('hex')}@example.com`;
    expect((await callHttp(t, 'auth.register', { input: { email, password: 'a long passphrase', name: 'Metrics' } })).status).toBe(200);
    expect((await callHttp(t, 'auth.requestPasswordReset', { input: { email } })).status).toBe(200);
    // The reset mail goes out after the answer.
    await expect.poll(() => sample('tessera_mails_total{result="sent"}'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    const text = await (await scrape()).text();
    if (t.db.kind === 'postgresql') expect(text).toMatch(/^tessera_db_pool_connections\{state="total"\} [1-9]/m);
    else expect(text).not.toContain('tessera_db_pool_connections{');
  });

  it('counts 429 refusals per procedure', async () => {
    for (let i = 0; i < 5; i++) await callHttp(t, 'auth.login', { input: { email: `nobody${i}@example.com`, password: 'nope' } });
    await expect.poll(() => sample('tessera_rate_limit_refusals_total{procedure="auth.login"}')).toBeGreaterThanOrEqual(2);
  });
});

describe('seat counts', () => {
  it('shows seats sold and held, read from the database (at most every 10 s, so this app is scraped only now)', async () => {
    const fresh = await startTestApp({ config: { metricsToken: TOKEN } });
    try {
      const user = await authUserFor(fresh, (await createUser(fresh)).id);
      const { eventId } = await createEventWithSeats(fresh.db);
      await callerFor(fresh.app, user).tickets.reserve({ eventId, seats: seats('A1', 'A2') });
      await callerFor(fresh.app, user).tickets.purchase({ eventId, seats: seats('A3'), idempotencyKey: crypto.randomUUID() });
      const text = await (await fetch(`${fresh.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      expect(text).toContain('tessera_seats{status="held"} 2');
      expect(text).toContain('tessera_seats{status="sold"} 1');
    } finally {
      await fresh.close();
    }
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await startTestApp();
  });
  afterAll(() => plain.close());

  it('does not exist', async () => {
    expect((await fetch(`${plain.url}/metrics`)).status).toBe(404);
  });
});
