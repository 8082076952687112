import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/app.js';

/** Keeps the event loop busy: 300 ms of work every 350 ms, for `ms`. */
function storm(ms: number): () => void {
  const block = () => {
    const until = Date.now() + 300;
    while (Date.now() < until) {
      // busy on purpose: this is the overload
    }
  };
  const timer = setInterval(block, 350);
  const stop = setTimeout(() => clearInterval(timer), ms);
  return () => {
    clearInterval(timer);
    clearTimeout(stop);
  };
}

describe('shedding load', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { overloadMaxEventLoopDelayMs: 20 } });
  });
  afterAll(() => t.close());

  it('while the event loop lags, API calls get 503 with Retry-After in tRPC’s shape; the probes still answer; then it serves again', async () => {
    // Calm first (starting up, or other test files in this process, can lag the loop too).
    await expect.poll(async () => (await fetch(`${t.url}/trpc/health`)).status, { timeout: 15_000, interval: 100 }).toBe(200);
    const stop = storm(15_000);
    try {
      const probes: number[] = [];
      let shed: Response | null = null;
      await expect
        .poll(
          async () => {
            probes.push((await fetch(`${t.url}/healthz`)).status, (await fetch(`${t.url}/readyz`)).status);
            const res = await fetch(`${t.url}/trpc/health,health?batch=1`);
            if (res.status === 503) shed = res;
            return res.status;
          },
          { timeout: 14_000, interval: 10 },
        )
        .toBe(503);
      const refused = shed as unknown as Response;
      expect(refused.headers.get('retry-after')).toBe('2');
      const body = (await refused.json()) as Array<{ error: { data: Record<string, unknown> } }>;
      expect(body).toHaveLength(2);
      expect(body[0]!.error.data).toEqual({ code: 'SERVICE_UNAVAILABLE', httpStatus: 503, reason: 'OVERLOADED' });
      // Probes are never shed: a load balancer must not kill a busy instance.
      expect(probes.length).toBeGreaterThan(0);
      expect(new Set(probes)).toEqual(new Set([200]));
    } finally {
      stop();
    }
    await expect.poll(async () => (await fetch(`${t.url}/trpc/health`)).status, { timeout: 15_000, interval: 100 }).toBe(200);
  });
});

/** POSTs `bytes` of JSON with node:http, which hands over the answer even when the server closes before reading it all. */
function postLarge(url: string, bytes: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const body = JSON.stringify({ name: 'big', venue: 'big', filler: 'x'.repeat(bytes) });
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/trpc/events.create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    // Writing the rest of a refused body fails once the server has closed: the answer is what counts.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

describe('bounding large request bodies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { overloadLargeBodyBytesPerSecond: 1024 * 1024 } });
  });
  afterAll(() => t.close());

  it('over the byte rate a large body is refused before it is read (503, Retry-After, connection closed); small calls and probes are untouched; the budget refills', async () => {
    // The bucket starts full (one body of the 1 MiB limit): the first 700 KB body is read and
    // answered by the procedure (which wants a signed-in staff member).
    const first = await postLarge(t.url, 700_000);
    expect(first.status).toBe(401);
    const second = await postLarge(t.url, 700_000);
    expect(second.status).toBe(503);
    expect(second.headers['retry-after']).toBe('2');
    expect(second.headers.connection).toBe('close');
    expect(JSON.parse(second.body)).toMatchObject({ error: { data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, reason: 'OVERLOADED' } } });
    // A body over the 1 MiB limit is still told so (413), not "busy".
    expect((await postLarge(t.url, 1_200_000)).status).toBe(413);
    // Small requests never count against it.
    expect((await fetch(`${t.url}/trpc/health`)).status).toBe(200);
    const login = await fetch(`${t.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }),
    });
    expect(login.status).toBe(401);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    // 1 MiB a second: within a second there is room for the next large body.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await postLarge(t.url, 700_000)).status).toBe(401);
  });
});
