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
