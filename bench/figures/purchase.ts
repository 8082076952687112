import crypto from 'node:crypto';
import type { BenchContext } from '../lib/context.js';
import { randomPair } from '../lib/fixture.js';
import { bearer, trpcErrorMessage } from '../lib/http.js';
import { alternating, ROUNDS, Tally, timedLoop, warmUp } from '../lib/loop.js';
import { CpuSum } from '../lib/proc.js';
import { isLostRace, sellPair } from '../lib/sql-baseline.js';
import { fmtMs, fmtRate, fmtRatio, quantile } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

export interface PurchaseOutcome {
  rows: Row[];
  /** Purchases the server answered 200, for the integrity check. */
  tesseraOrders: number;
  baselineOrders: number;
}

/**
 * The headline figure: 50 signed-in buyers each looping tickets.purchase of two adjacent
 * random seats on the one event. Latencies are of every answered call, CONFLICTs included. The
 * baseline is the same sale written by hand in SQL on the baseline copy of the fixture.
 */
export async function purchaseFigure(ctx: BenchContext): Promise<PurchaseOutcome> {
  const { eventId, buyers } = ctx.fixture;
  const seconds = ctx.options.seconds;
  console.log(`\n== purchase: ${buyers.length} buyers, 2 adjacent random seats, ${seconds} s each, in ${ROUNDS} alternating turns`);

  const pool = await ctx.baseline();
  const sessions = await pool.sessions(buyers.length);
  const tally = new Tally();
  const samples: string[] = [];
  const latencies: number[] = [];
  const tessera = (s: number) =>
    timedLoop(buyers.length, s, async (w) => {
      const { row: rowName, number } = randomPair();
      const res = await ctx.api.request('POST', '/trpc/tickets.purchase', {
        headers: bearer(ctx.tokens[w]!),
        json: {
          eventId,
          seats: [
            { row: rowName, number },
            { row: rowName, number: number + 1 },
          ],
          idempotencyKey: crypto.randomUUID(),
        },
      });
      latencies.push(res.ms);
      tally.add(res.status);
      if (res.status !== 200 && res.status !== 409 && samples.length < 3) samples.push(`${res.status} ${trpcErrorMessage(res)}`);
    });
  const baseLatencies: number[] = [];
  let baseOrders = 0;
  let baseConflicts = 0;
  const baseline = (s: number) =>
    timedLoop(buyers.length, s, async (w) => {
      const { row: rowName, number } = randomPair();
      const start = performance.now();
      try {
        await sellPair(sessions[w]!, { eventId, userId: buyers[w]!.id, row: rowName, number });
        baseOrders++;
      } catch (error) {
        if (!isLostRace(error)) throw error;
        baseConflicts++;
      }
      baseLatencies.push(performance.now() - start);
    });
  // The warm-up's sales stay sold: the integrity check counts them in.
  await warmUp([tessera, baseline]);
  const warmOrders = tally.get(200);
  const warmBaseOrders = baseOrders;
  tally.clear();
  samples.length = 0;
  latencies.length = 0;
  baseLatencies.length = 0;
  baseOrders = 0;
  baseConflicts = 0;
  const cpu = new CpuSum(ctx.serverPid);
  const baseCpu = new CpuSum(ctx.serverPid);
  const [elapsed, baseElapsed] = (await alternating(seconds, [cpu.metered(tessera), baseCpu.metered(baseline)])) as [number, number];
  const orders = tally.get(200);
  const rate = (2 * orders) / (elapsed / 1000);
  const others = tally.othersThan(200, 409);
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  console.log(`  Tessera  ${fmtRate(rate, 'seats/s')}  p50 ${fmtMs(p50)}  p99 ${fmtMs(p99)}  answers ${tally.toString()}`);
  if (samples.length) console.log(`  unexpected: ${samples.join(' | ')}`);
  const baseRate = (2 * baseOrders) / (baseElapsed / 1000);
  const baseP50 = quantile(baseLatencies, 0.5);
  const baseP99 = quantile(baseLatencies, 0.99);
  console.log(
    `  SQL      ${fmtRate(baseRate, 'seats/s')}  p50 ${fmtMs(baseP50)}  p99 ${fmtMs(baseP99)}  sales ${baseOrders}, conflicts ${baseConflicts}  (${pool.note})`,
  );

  const split = cpu.per(orders, { server: 'server', bench: 'HTTP client', postgres: ctx.kind === 'postgresql' });
  const baseSplit = baseCpu.per(baseOrders, {
    bench: ctx.kind === 'postgresql' ? 'SQL client' : 'PGlite and SQL client',
    postgres: ctx.kind === 'postgresql',
  });
  console.log(`  CPU per sale of 2 seats: Tessera ${split.text}; SQL ${baseSplit.text}`);

  const ratio = rate / baseRate;
  return {
    tesseraOrders: warmOrders + orders,
    baselineOrders: warmBaseOrders + baseOrders,
    rows: [
      row(
        'purchase: seats sold/s (50 buyers, 2 adjacent seats)',
        fmtRate(rate, 'seats/s'),
        `${fmtRate(baseRate, 'seats/s')} (SQL by hand${ctx.kind === 'pglite' ? ', one PGlite session' : ''})`,
        fmtRatio(ratio),
        '>= 0.6x',
        ratio >= 0.6,
      ),
      row('purchase: latency p50 / p99', `${fmtMs(p50)} / ${fmtMs(p99)}`, `${fmtMs(baseP50)} / ${fmtMs(baseP99)}`, '', 'p99 < 250 ms', p99 < 250),
      row(
        'purchase: answers',
        `200: ${orders}, 409: ${tally.get(409)}, other: ${others}`,
        `sold: ${baseOrders}, lost races: ${baseConflicts}`,
        '',
        'other = 0',
        others === 0,
      ),
      row('purchase: CPU per sale, every process', split.text, baseSplit.text, fmtRatio(baseSplit.totalMs / split.totalMs)),
    ],
  };
}
