import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { BenchContext } from '../lib/context.js';
import { freePort, spawnService } from '../lib/server.js';
import { fmtInt, fmtMs, quantile } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';
import { probeHealthz } from './login.js';

const CONNECTIONS = 64;

/** The server's settings per run: everything off (the baseline), the event-loop delay alone, the shipped defaults. */
const RUNS = [
  { label: 'shedding off', env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0', OVERLOAD_LARGE_BODY_BYTES_PER_SECOND: '0' } },
  { label: 'event-loop delay only (500 ms)', env: { OVERLOAD_LARGE_BODY_BYTES_PER_SECOND: '0' } },
  { label: 'defaults (500 ms delay + 4 MiB/s of large bodies)', env: {} },
] as const;

/**
 * Floods a server with work for its event loop (600 KB JSON bodies for a staff-only mutation: each
 * is parsed before it is refused) while /healthz is probed every 50 ms: with load shedding off
 * (the baseline), with the event-loop delay alone, and with the shipped defaults (the delay and
 * the bound on large bodies in flight). Each server runs on its own in-memory database; the
 * flood never reaches one.
 */
export async function overloadFigure(ctx: BenchContext): Promise<Row[]> {
  const seconds = ctx.options.cannonSeconds;
  console.log(`\n== overload: ${CONNECTIONS} connections posting 600 KB bodies for ${seconds} s, /healthz probed every 50 ms`);
  const body = JSON.stringify({
    name: 'flood',
    venue: 'flood',
    startsAt: new Date().toISOString(),
    filler: Array.from({ length: 100_000 }, (_, i) => i),
  });
  const runs: Array<{ label: string; p50: number; p99: number; max: number; codes: Record<string, number> }> = [];
  for (const { label, env } of RUNS) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-overload-'));
    const server = await spawnService('server/main-cli.ts', {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      DATABASE_URL: 'pglite:memory',
      DATA_DIR: dataDir,
      JWT_SECRET: crypto.randomBytes(48).toString('base64url'),
      MFA_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      SEED_DEMO: 'false',
      ...env,
    });
    try {
      const probe = probeHealthz(server.url);
      const flood = await autocannon({
        url: `${server.url}/trpc/events.create`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: CONNECTIONS,
        duration: seconds,
        // In a worker thread: the flood's client must not delay the probe's own event loop here.
        workers: 1,
      });
      const latencies = await probe.stop();
      const codes: Record<string, number> = {};
      for (const [code, stat] of Object.entries(flood.statusCodeStats ?? {})) codes[code] = (stat as { count: number }).count;
      if (flood.errors) codes.errors = flood.errors;
      const run = { label, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), max: Math.max(...latencies), codes };
      runs.push(run);
      console.log(
        `  ${label}: /healthz ${latencies.length} probes, p50 ${fmtMs(run.p50)}, p99 ${fmtMs(run.p99)}, max ${fmtMs(run.max)}; flood answers ${JSON.stringify(codes)}`,
      );
    } finally {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const [off, delayOnly, on] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
  const answers = (codes: Record<string, number>) =>
    Object.entries(codes)
      .map(([code, n]) => `${code}: ${fmtInt(n)}`)
      .join(', ');
  return [
    row(
      `overload: GET /healthz p99 during a flood of 600 KB bodies (${CONNECTIONS} connections), default shedding`,
      `${fmtMs(on.p99)} (p50 ${fmtMs(on.p50)})`,
      `${fmtMs(off.p99)} (p50 ${fmtMs(off.p50)}) with shedding off; ${fmtMs(delayOnly.p99)} (p50 ${fmtMs(delayOnly.p50)}) on delay alone`,
      '',
      '< 100 ms',
      on.p99 < 100,
    ),
    row(
      'overload: the flood\u2019s answers',
      answers(on.codes),
      `${answers(off.codes)} with shedding off`,
      '',
      '503s while it sheds',
      (on.codes['503'] ?? 0) > 0,
    ),
  ];
}
