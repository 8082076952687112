import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext } from '../lib/context.js';
import { BUYER_PASSWORD } from '../lib/fixture.js';
import { basic, HttpClient, trpcData, trpcErrorMessage, type HttpResponse } from '../lib/http.js';
import { Tally, timedLoop } from '../lib/loop.js';
import { REPO_ROOT } from '../lib/server.js';
import { fmtMs, fmtRate, fmtRatio, quantile, sleep } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

const STORM_CLIENTS = 16;
const PROBE_EVERY_MS = 50;
/** Compares in flight in the baseline child at least (libuv's default pool is 4 threads). */
const LIBUV_POOL = 4;

const signIn = (ctx: BenchContext, buyer: number): Promise<HttpResponse> =>
  ctx.api.request('POST', '/trpc/auth.token', { headers: basic(ctx.fixture.buyers[buyer]!.email, BUYER_PASSWORD) });

/**
 * Fills ctx.tokens. With `measure`, that is the login storm: 16 clients calling auth.token in turn
 * for every buyer for the bench's seconds, while /healthz is probed every 50 ms, then bcrypt alone
 * in a child process as the baseline. Without it, just one sign-in per buyer.
 */
export async function signInBuyers(ctx: BenchContext, measure: boolean): Promise<Row[]> {
  const buyers = ctx.fixture.buyers.length;
  const keep = (buyer: number, res: HttpResponse) => {
    ctx.tokens[buyer] ??= trpcData<{ accessToken: string }>(res).accessToken;
  };
  const rows: Row[] = [];

  if (measure) {
    console.log(`\n== login storm: auth.token, ${STORM_CLIENTS} clients, ${ctx.options.seconds} s (bcrypt cost ${ctx.options.bcryptCost})`);
    // The same probe with nothing else running first: the machine's own noise floor.
    const idleProbe = probeHealthz(ctx.serverUrl);
    await sleep(Math.min(4, ctx.options.seconds) * 1000);
    const idle = await idleProbe.stop();
    console.log(`  /healthz with nothing else running: ${idle.length} probes, p50 ${fmtMs(quantile(idle, 0.5))}, p99 ${fmtMs(quantile(idle, 0.99))}`);
    const tally = new Tally();
    const failures: string[] = [];
    let next = 0;
    const probe = probeHealthz(ctx.serverUrl);
    const elapsed = await timedLoop(STORM_CLIENTS, ctx.options.seconds, async () => {
      const buyer = next++ % buyers;
      const res = await signIn(ctx, buyer);
      tally.add(res.status);
      if (res.status === 200) keep(buyer, res);
      else if (failures.length < 3) failures.push(`${res.status} ${trpcErrorMessage(res)}`);
    });
    const healthz = await probe.stop();
    const logins = tally.get(200) / (elapsed / 1000);
    console.log(`  ${fmtRate(logins, 'logins/s')}  answers ${tally.toString()}${failures.length ? `  e.g. ${failures.join(' | ')}` : ''}`);
    console.log(
      `  /healthz while storming: ${healthz.length} probes, p50 ${fmtMs(quantile(healthz, 0.5))}, p99 ${fmtMs(quantile(healthz, 0.99))}, max ${fmtMs(Math.max(...healthz))}`,
    );

    const cores = os.availableParallelism();
    // Enough compares in flight to keep every core busy (the server runs one bcrypt thread per core,
    // at low priority); on an idle machine 2 and 4 at a time give the same rate.
    const parallel = Math.max(cores, LIBUV_POOL);
    const bcrypt = await bcryptBaseline(ctx.options.bcryptCost, ctx.options.seconds, parallel);
    console.log(`  baseline: bcrypt.compare alone in a child process, ${parallel} at a time on ${cores} cores: ${fmtRate(bcrypt, 'compares/s')}`);
    const ratio = logins / bcrypt;
    const p99 = quantile(healthz, 0.99);
    rows.push(
      row(
        `login storm: auth.token, ${STORM_CLIENTS} clients`,
        `${fmtRate(logins, 'logins/s')} (other statuses: ${tally.othersThan(200)})`,
        `${fmtRate(bcrypt, 'compares/s')} (bcrypt cost ${ctx.options.bcryptCost}, ${cores} cores)`,
        fmtRatio(ratio),
        '>= 0.9x',
        ratio >= 0.9 && tally.othersThan(200) === 0,
      ),
      row(
        'login storm: GET /healthz p99 while it runs (probe every 50 ms)',
        fmtMs(p99),
        `${fmtMs(quantile(idle, 0.99))} (the same probe, nothing else running)`,
        '',
        '< 20 ms',
        p99 < 20,
      ),
    );
  }

  // Whoever the storm missed (or everyone, without the storm) signs in now, 16 at a time.
  const missing = ctx.fixture.buyers.map((_, i) => i).filter((i) => !ctx.tokens[i]);
  for (let i = 0; i < missing.length; i += STORM_CLIENTS) {
    await Promise.all(
      missing.slice(i, i + STORM_CLIENTS).map(async (buyer) => {
        const res = await signIn(ctx, buyer);
        if (res.status !== 200) throw new Error(`auth.token for buyer ${buyer} answered ${res.status}: ${trpcErrorMessage(res)}`);
        keep(buyer, res);
      }),
    );
  }
  return rows;
}

/** GET /healthz every 50 ms on its own connection until stopped; the latencies in ms. */
/** GET /healthz every 50 ms on a connection of its own until stopped; any answer but 200 fails the figure. */
export function probeHealthz(serverUrl: string): { stop(): Promise<number[]> } {
  const client = new HttpClient(serverUrl, { maxSockets: 1 });
  const latencies: number[] = [];
  let running = true;
  let failure: Error | null = null;
  const done = (async () => {
    while (running) {
      const start = performance.now();
      const res = await client.request('GET', '/healthz');
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status} under load`);
      latencies.push(res.ms);
      await sleep(Math.max(0, PROBE_EVERY_MS - (performance.now() - start)));
    }
  })().catch((error: unknown) => {
    // Kept for stop(): a rejection nobody awaits yet would end the process as unhandled.
    failure = error instanceof Error ? error : new Error(`the /healthz probe failed: ${JSON.stringify(error)}`);
  });
  return {
    async stop() {
      running = false;
      await done;
      client.close();
      if (failure) throw failure;
      return latencies;
    },
  };
}

/** bcrypt.compare per second in a separate process, `concurrency` at a time. */
function bcryptBaseline(cost: number, seconds: number, concurrency: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join('bench', 'lib', 'bcrypt-child.ts'), String(cost), String(seconds), String(concurrency)],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, UV_THREADPOOL_SIZE: String(Math.max(concurrency, LIBUV_POOL)) },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the bcrypt baseline exited with ${code}`));
      const { compares, seconds: took } = JSON.parse(out) as { compares: number; seconds: number };
      resolve(compares / took);
    });
  });
}
