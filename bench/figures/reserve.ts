import type { BenchContext } from '../lib/context.js';
import { randomPair } from '../lib/fixture.js';
import { bearer, trpcErrorMessage } from '../lib/http.js';
import { alternating, ROUNDS, Tally, timedLoop, warmUp } from '../lib/loop.js';
import { CpuSum } from '../lib/proc.js';
import { holdPair, releasePair } from '../lib/sql-baseline.js';
import { fmtMs, fmtRate, fmtRatio, quantile } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

/** The server's default HOLD_MINUTES; the baseline's holds last as long. */
const HOLD_MINUTES = 10;

/**
 * Each of the 50 buyers loops: tickets.reserve of two adjacent random seats, then tickets.release
 * of them. A cycle is that pair of calls; cycles/s counts completed ones (a reserve that answers
 * CONFLICT ends its cycle without a release and is counted apart). Baseline: the same cycle as
 * one conditional UPDATE for the hold and one for the release, one connection per buyer.
 */
export async function reserveFigure(ctx: BenchContext): Promise<Row[]> {
  const { eventId, buyers } = ctx.fixture;
  const seconds = ctx.options.seconds;
  console.log(`\n== reserve + release: ${buyers.length} buyers, 2 adjacent random seats, ${seconds} s each, in ${ROUNDS} alternating turns`);

  const pool = await ctx.baseline();
  const sessions = await pool.sessions(buyers.length);
  const tally = new Tally();
  const samples: string[] = [];
  const latencies: number[] = [];
  let cycles = 0;
  const tessera = (s: number) =>
    timedLoop(buyers.length, s, async (w) => {
      const { row: rowName, number } = randomPair();
      const input = {
        eventId,
        seats: [
          { row: rowName, number },
          { row: rowName, number: number + 1 },
        ],
      };
      const headers = bearer(ctx.tokens[w]!);
      const reserved = await ctx.api.request('POST', '/trpc/tickets.reserve', { headers, json: input });
      tally.add(`reserve ${reserved.status}`);
      if (reserved.status !== 200) {
        if (reserved.status !== 409 && samples.length < 3) samples.push(`reserve ${reserved.status} ${trpcErrorMessage(reserved)}`);
        return;
      }
      const released = await ctx.api.request('POST', '/trpc/tickets.release', { headers, json: input });
      tally.add(`release ${released.status}`);
      if (released.status !== 200) {
        if (samples.length < 3) samples.push(`release ${released.status} ${trpcErrorMessage(released)}`);
        return;
      }
      latencies.push(reserved.ms + released.ms);
      cycles++;
    });
  const baseLatencies: number[] = [];
  let baseCycles = 0;
  let baseConflicts = 0;
  const baseline = (s: number) =>
    timedLoop(buyers.length, s, async (w) => {
      const { row: rowName, number } = randomPair();
      const who = { eventId, userId: buyers[w]!.id, row: rowName, number };
      const start = performance.now();
      const held = await holdPair(sessions[w]!, { ...who, holdMinutes: HOLD_MINUTES });
      if (held > 0) await releasePair(sessions[w]!, who);
      if (held !== 2) {
        baseConflicts++;
        return;
      }
      baseLatencies.push(performance.now() - start);
      baseCycles++;
    });
  // Every warm-up cycle releases what it held, so the turns start from the same seats.
  await warmUp([tessera, baseline]);
  tally.clear();
  samples.length = 0;
  latencies.length = 0;
  cycles = 0;
  baseLatencies.length = 0;
  baseCycles = 0;
  baseConflicts = 0;
  const cpu = new CpuSum(ctx.serverPid);
  const baseCpu = new CpuSum(ctx.serverPid);
  const [elapsed, baseElapsed] = (await alternating(seconds, [cpu.metered(tessera), baseCpu.metered(baseline)])) as [number, number];
  const rate = cycles / (elapsed / 1000);
  const others = tally.othersThan('reserve 200', 'reserve 409', 'release 200');
  console.log(
    `  Tessera  ${fmtRate(rate, 'cycles/s')}  p50 ${fmtMs(quantile(latencies, 0.5))}  p99 ${fmtMs(quantile(latencies, 0.99))}  answers ${tally.toString()}`,
  );
  if (samples.length) console.log(`  unexpected: ${samples.join(' | ')}`);
  const baseRate = baseCycles / (baseElapsed / 1000);
  console.log(
    `  SQL      ${fmtRate(baseRate, 'cycles/s')}  p50 ${fmtMs(quantile(baseLatencies, 0.5))}  p99 ${fmtMs(quantile(baseLatencies, 0.99))}  conflicts ${baseConflicts}  (${pool.note})`,
  );

  const split = cpu.per(cycles, { server: 'server', bench: 'HTTP client', postgres: ctx.kind === 'postgresql' });
  const baseSplit = baseCpu.per(baseCycles, {
    bench: ctx.kind === 'postgresql' ? 'SQL client' : 'PGlite and SQL client',
    postgres: ctx.kind === 'postgresql',
  });
  console.log(`  CPU per cycle: Tessera ${split.text}; SQL ${baseSplit.text}`);

  const ratio = rate / baseRate;
  return [
    row(
      'reserve + release: cycles/s (50 buyers, 2 adjacent seats)',
      `${fmtRate(rate, 'cycles/s')} (409: ${tally.get('reserve 409')}, other: ${others})`,
      `${fmtRate(baseRate, 'cycles/s')} (SQL, 2 UPDATEs${ctx.kind === 'pglite' ? ', one PGlite session' : ''})`,
      fmtRatio(ratio),
      '>= 0.6x',
      ratio >= 0.6 && others === 0,
    ),
    row(
      'reserve + release: cycle latency p50 / p99',
      `${fmtMs(quantile(latencies, 0.5))} / ${fmtMs(quantile(latencies, 0.99))}`,
      `${fmtMs(quantile(baseLatencies, 0.5))} / ${fmtMs(quantile(baseLatencies, 0.99))}`,
    ),
    // Both sides keep every core busy, so their rates stand in about the inverse ratio of these.
    row('reserve + release: CPU per cycle, every process', split.text, baseSplit.text, fmtRatio(baseSplit.totalMs / split.totalMs)),
  ];
}
