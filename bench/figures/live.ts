import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';
import { compareVersions, type SeatChangesMessage } from '../../shared/live-seats.js';
import type { CompactSeatMap } from '../../shared/seat-map.js';
import type { BenchContext } from '../lib/context.js';
import { connectWhenRoom } from '../lib/databases.js';
import { bearer, trpcData, trpcErrorMessage, trpcPath } from '../lib/http.js';
import { Tally } from '../lib/loop.js';
import { postgresCpuBetween, postgresCpuByPid, processCpuSeconds, processRssBytes } from '../lib/proc.js';
import { openEventStream, type EventStream, type SseEvent } from '../lib/sse.js';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, sleep } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

/** How often each viewer's page polled the seat map before live updates (the baseline). */
const POLL_EVERY_MS = 5000;
/** Streams opened at once while connecting the subscribers. */
const OPEN_AT_ONCE = 100;
/** Target: a change on every subscriber's map within this long (issue "On-sale day"). */
const TARGET_P99_MS = 1000;
/** What a browser sends: compression must not hold server-sent events back (text/event-stream is never compressed). */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
/**
 * How long the bench holds each seat before releasing it. The server sends what differs between two
 * reads of the map (one every 200 ms at most), so a hold released within one read's window may never
 * show; a hold of seconds (a shopper's lasts minutes) normally shows, and one that does not is news.
 */
const HOLD_MS = 2000;

interface Seat {
  row: string;
  number: number;
}

/**
 * The states the bench takes each seat through, once each (every run uses fresh seats): 0 available
 * as the fixture made it, 1 held (R), 2 released (A again). What a subscriber's map shows of a seat
 * is one of these steps, so "shows this change or a later one" is a comparison.
 */
type Step = 1 | 2;

/** One measured change: the seat (index into the run's seats), its step, when it counts from. */
interface ChangeRecord {
  seat: number;
  step: Step;
  /**
   * When the change counts from. On PostgreSQL the bench's own UPDATE's answer (the commit is just
   * before it). Over HTTP (PGlite) when the call was sent: the server may send the change to the
   * streams before it answers the call, so this is an upper bound on the delay.
   */
  at: number;
  made: boolean;
  /** "changed", or what happened instead ("no row" in SQL, the HTTP status, "hold not made"). */
  outcome: string;
}

/** Makes one seat change for one of `holders` (the same holder holds and releases a seat). */
interface ChangeMaker {
  what: string;
  workers: number;
  holders: number;
  /** Whether a change counts from its answer (SQL beside the server) or from when it was sent (HTTP). */
  countsFromAnswer: boolean;
  change(holder: number, seat: Seat, to: 'R' | 'A'): Promise<string>;
  close(): Promise<void>;
}

/** CPU seconds per wall second of the server, PostgreSQL (all of it on this machine) and the bench itself. */
interface CpuUse {
  seconds: number;
  server: number | null;
  postgres: number | null;
  bench: number;
}

function cpuMeter(serverPid: number): () => CpuUse {
  const wall = performance.now();
  const server = processCpuSeconds(serverPid);
  const postgres = postgresCpuByPid();
  const bench = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - wall) / 1000;
    const s = processCpuSeconds(serverPid);
    const p = postgresCpuByPid();
    const b = process.cpuUsage(bench);
    return {
      seconds,
      server: server === null || s === null ? null : (s - server) / seconds,
      postgres: postgres === null || p === null ? null : postgresCpuBetween(postgres, p) / seconds,
      bench: (b.user + b.system) / 1e6 / seconds,
    };
  };
}

/** CPU used over `whole` (the load and the tail after it), spread over the load's own seconds: what a second of load costs in all. */
function perSecondOfLoad(whole: CpuUse, loadSeconds: number): CpuUse {
  const scale = (n: number | null) => (n === null ? null : (n * whole.seconds) / loadSeconds);
  return { seconds: loadSeconds, server: scale(whole.server), postgres: scale(whole.postgres), bench: scale(whole.bench)! };
}

const fmtCpu = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));
const describeCpu = (c: CpuUse) => `CPU-s/s: server ${fmtCpu(c.server)}, PostgreSQL ${fmtCpu(c.postgres)}, bench ${fmtCpu(c.bench)}`;
const fmtMb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const fmtDelay = (ms: number) => (ms === Number.POSITIVE_INFINITY ? 'not shown' : fmtMs(ms));

/**
 * The q-th quantile of `expected` deliveries of which `sorted` arrived: the ones that never did
 * count as later than any that did (infinite), so losing changes cannot flatter the p99.
 */
function deliveryQuantile(sorted: Float64Array, expected: number, q: number): number {
  if (expected === 0) return Number.NaN;
  const rank = Math.min(expected - 1, Math.max(0, Math.ceil(q * expected) - 1));
  return rank < sorted.length ? sorted[rank]! : Number.POSITIVE_INFINITY;
}

/** How the bench's changes reached the viewers: every change to every viewer, in three kinds. */
interface Delivery {
  /** Made changes x viewers. */
  expected: number;
  /** Shown in their own state. */
  shown: number;
  /** Holds a viewer only saw through their release (delay counted to it), or never saw though they were released: not lost. */
  coalesced: number;
  /** Neither shown nor superseded by the end: counted as infinitely late. */
  lost: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Delays of changes (or Infinity: lost), summarised; coalesced changes that never showed are left out. */
function summarise(delays: Float64Array, count: number, lost: number, shown: number, coalesced: number): Delivery {
  const sorted = delays.slice(0, count).sort();
  const expected = count + lost;
  return {
    expected: shown + coalesced + lost,
    shown,
    coalesced,
    lost,
    p50: deliveryQuantile(sorted, expected, 0.5),
    p90: deliveryQuantile(sorted, expected, 0.9),
    p99: deliveryQuantile(sorted, expected, 0.99),
  };
}

const describeDelivery = (d: Delivery) =>
  `${fmtInt(d.shown)} shown, ${fmtInt(d.coalesced)} coalesced, ${fmtInt(d.lost)} lost of ${fmtInt(d.expected)}`;

/**
 * Live seat updates (`inventory.seatChanges`, server-sent events) against the polling they replace,
 * on one server instance, with the bench changing seats at `BENCH_LIVE_RATE` (default 200 a second)
 * for 1.25 x `BENCH_SECONDS`:
 *
 * 1. the changes alone, nobody watching: what making them costs the server and PostgreSQL;
 * 2. the baseline: `BENCH_LIVE_SUBSCRIBERS` viewers polling `inventory.seatMapCompact` every 5 s
 *    with the ETag of their last answer in If-None-Match (as the browser revalidates), with the
 *    same changes; then the same polling on a map nothing changes (every answer a 304);
 * 3. as many streams, opened as the browser opens them (the map's version as `lastEventId`, a
 *    browser's Accept-Encoding, one connection each): the server's RSS before and after, and the
 *    CPU they cost while nothing changes;
 * 4. the changes with the streams open: from each change to each subscriber's map showing it
 *    (see `Subscribers`), CPU, bytes, RSS, and a shopper's call meanwhile.
 *
 * Polling goes before any stream opens: the server goes on following an event for 30 s after its
 * last subscriber left, which would otherwise run under the baseline.
 *
 * On PostgreSQL the changes are single-seat UPDATEs of "Ticket" from the bench's own connections:
 * the server follows committed versions whoever writes them (the triggers bump the version either
 * way), so this is the fan-out alone, with the 200 holds and releases a second made elsewhere (by
 * shoppers on other instances, in a real on-sale), and their commit time is known to a millisecond.
 * PGlite is the server process's own database, so there they go through `tickets.reserve` /
 * `tickets.release` over HTTP and cost the server that work too (phase 1 says how much).
 */
export async function liveFigure(ctx: BenchContext): Promise<Row[]> {
  const { liveSubscribers: subscribers, liveRate: rate } = ctx.options;
  const seconds = ctx.options.seconds * 1.25;
  const who = `${fmtInt(subscribers)} ${subscribers === 1 ? 'subscriber' : 'subscribers'}`;
  console.log(`\n== live seat updates: ${who}, ${rate} seat changes/s for ${seconds} s, against polling every ${POLL_EVERY_MS / 1000} s`);

  const seats = await availableSeats(ctx);
  const perRun = SeatChanges.seatsFor(rate, seconds);
  if (seats.length < 3 * perRun) throw new Error(`live: only ${seats.length} free seats on the event, ${3 * perRun} wanted`);
  const maker = ctx.appDatabaseUrl ? await sqlChanges(ctx, ctx.appDatabaseUrl) : httpChanges(ctx);
  console.log(
    `  changes: ${maker.what}, ${maker.workers} workers; each seat held, then released ${HOLD_MS / 1000} s later (${fmtInt(
      Math.round((HOLD_MS / 1000) * (rate / 2)),
    )} held before each run, so holds and releases run at ${rate / 2}/s each from its first second)`,
  );
  let nextSeat = 0;
  const changes = () => new SeatChanges(maker, seats.slice(nextSeat, (nextSeat += perRun)), rate, seconds);

  let subs: Subscribers | null = null;
  try {
    // 1. The changes alone.
    const alone = changes();
    await alone.prime();
    const aloneMeter = cpuMeter(ctx.serverPid);
    await alone.run();
    const aloneUse = aloneMeter();
    await alone.releaseRest();
    console.log(`  changes alone: ${alone.rate().toFixed(0)} changes/s made${notMade(alone.log)}; ${describeCpu(aloneUse)}`);

    // 2. Polling, with the changes and without.
    const polled = await pollRun(ctx, subscribers, seconds, changes());
    const quiet = await pollRun(ctx, subscribers, seconds, null);

    // 3. The streams, idle.
    await settle(ctx.serverPid);
    subs = await Subscribers.open(ctx, subscribers);
    if (subs.openStreams().length === 0) {
      return [row('live seat updates (inventory.seatChanges)', `not measured: no stream opened (${subs.refusals})`, '', '', `p99 < 1 s`, false)];
    }

    // 4. The changes while they watch.
    const live = await liveRun(ctx, subs, changes());
    subs.close();
    const busyFor = await settle(ctx.serverPid);
    console.log(`  streams closed: the server stayed busy ${fmtMs(busyFor)} longer; server RSS ${fmtMb(processRssBytes(ctx.serverPid))}`);

    const rateOf = (made: number) => (made >= 0.9 * rate ? `${made.toFixed(0)} changes/s` : `${made.toFixed(1)} changes/s (${rate}/s asked)`);
    const pollWhat = `${fmtInt(subscribers)} viewers polling every ${POLL_EVERY_MS / 1000} s (${fmtInt(Math.round((subscribers * 1000) / POLL_EVERY_MS))} req/s, If-None-Match)`;
    const watching = subs.watching;
    const d = live.delivery;
    const pgNote = (c: CpuUse) => (c.postgres === null ? '' : `; PostgreSQL ${fmtCpu(c.postgres)}`);
    const rss = subs.rss;
    return [
      row(
        `live: change to each of ${fmtInt(watching)} subscribers' maps (SSE), p50 / p99, ${rateOf(live.rate)}`,
        `${fmtDelay(d.p50)} / ${fmtDelay(d.p99)}`,
        `${fmtDelay(polled.delivery.p50)} / ${fmtDelay(polled.delivery.p99)} (${pollWhat}, ${rateOf(polled.rate)}: to the next answer)`,
        '',
        `p99 < ${TARGET_P99_MS / 1000} s`,
        d.p99 < TARGET_P99_MS,
      ),
      row(
        `live: changes x subscribers shown / coalesced / lost (${ctx.options.liveDrainSeconds} s to arrive after the last)`,
        `${describeDelivery(d)}; whole maps ${live.maps}, out of order ${live.outOfOrder}, streams ended ${live.ended}`,
        describeDelivery(polled.delivery),
        '',
        'none lost',
        d.lost === 0 && live.ended === 0 && live.outOfOrder === 0,
      ),
      row(
        `live: server CPU-s per s at ${rateOf(live.rate)}, delivery included`,
        `${fmtCpu(live.cost.server)} (idle streams ${fmtCpu(subs.idle.server)}; the changes alone ${fmtCpu(aloneUse.server)})${pgNote(live.cost)}`,
        `${fmtCpu(polled.cost.server)} (${pollWhat}${pgNote(polled.cost)}); ${fmtCpu(quiet.cost.server)} on an unchanging map (all 304)`,
        live.cost.server !== null && polled.cost.server ? fmtRatio(live.cost.server / polled.cost.server) : '',
        '',
      ),
      row(
        `live: server RSS per open subscriber (RSS delta / subscribers); RSS before / open / after the changes`,
        `${rss.perSubscriber === null ? 'n/a' : fmtBytes(rss.perSubscriber)}; ${fmtMb(rss.before)} / ${fmtMb(rss.open)} / ${fmtMb(live.rssAfter)}`,
        '',
        '',
        '',
      ),
      row(
        `live: bytes to the viewers per s at ${rateOf(live.rate)}`,
        `${fmtBytes(live.bytesPerSecond)}/s`,
        `${fmtBytes(polled.bytesPerSecond)}/s (${polled.answers}); ${fmtBytes(quiet.bytesPerSecond)}/s on an unchanging map`,
        fmtRatio(live.bytesPerSecond / polled.bytesPerSecond),
        '',
      ),
      row(
        `live: a shopper's GET /trpc/health every 100 ms meanwhile, p50 / p99; shed`,
        describeShopper(live.shopper),
        `${describeShopper(polled.shopper)} (polling, with the changes)`,
        '',
        '',
      ),
      row(
        `live: opening ${who}: connected p50 / p99; refused; idle CPU-s/s`,
        `${fmtMs(subs.openP50)} / ${fmtMs(subs.openP99)}; ${subs.refused}; ${fmtCpu(subs.idle.server)}`,
        '',
        '',
        'none refused',
        subs.refused === 0,
      ),
    ];
  } finally {
    subs?.close();
    await maker.close();
  }
}

/**
 * The bench's seat changes in one run, at `rate` a second for `seconds`: each seat held, then
 * released HOLD_MS later, fresh seats only. The first HOLD_MS x rate/2 seats are held before the
 * run (`prime`, not measured), so from its first second it makes rate/2 holds and rate/2 releases a
 * second; the seats still held at its end are released after it (`releaseRest`, not measured).
 */
class SeatChanges {
  /** Seats [0, primed) are held before the run and released in it. */
  readonly primed: number;
  /** Seats [primed, primed + pairs) are held in the run; the first `pairs - primed` of them also released. */
  readonly pairs: number;
  /** The measured changes, as they were made. */
  readonly log: ChangeRecord[] = [];
  /** Per seat, when its release counts from (NaN: not released in the run): a hold is superseded then. */
  readonly releasedAt: Float64Array;
  start = 0;
  /** From the first change due to the last one answered. */
  seconds = 0;
  /** Per seat, whether its hold was made (a release waits for it, and is skipped without it). */
  private readonly held: Array<Promise<boolean>> = [];

  static seatsFor(rate: number, seconds: number): number {
    return Math.round((HOLD_MS / 1000) * (rate / 2)) + Math.round((seconds * rate) / 2);
  }

  constructor(
    private readonly maker: ChangeMaker,
    readonly seats: Seat[],
    private readonly asked: number,
    runSeconds: number,
  ) {
    this.primed = Math.round((HOLD_MS / 1000) * (asked / 2));
    this.pairs = Math.round((runSeconds * asked) / 2);
    this.releasedAt = new Float64Array(seats.length).fill(Number.NaN);
  }

  /** Whether a change of this seat is one the run measures (not the priming holds, nor the releases after it). */
  measured(seat: number, step: Step): boolean {
    return step === 1 ? seat >= this.primed : seat < this.pairs;
  }

  made(): number {
    return this.log.filter((c) => c.made).length;
  }

  rate(): number {
    return this.made() / this.seconds;
  }

  /** Holds the first seats all at once (8 or 50 at a time), then leaves a second for the streams to show them. */
  async prime(): Promise<void> {
    const now = performance.now();
    await this.execute(
      Array.from({ length: this.primed }, (_, seat) => ({ seat, step: 1 as const, due: now })),
      null,
    );
    await sleep(1000);
  }

  /** The run: tick i holds seat primed + i and, half a tick later, releases seat i (held HOLD_MS before). */
  async run(): Promise<void> {
    this.start = performance.now() + 20;
    const tick = 2000 / this.asked;
    const queue: Array<{ seat: number; step: Step; due: number }> = [];
    for (let i = 0; i < this.pairs; i++) {
      queue.push({ seat: this.primed + i, step: 1, due: this.start + i * tick });
      queue.push({ seat: i, step: 2, due: this.start + (i + 0.5) * tick });
    }
    await this.execute(queue, this.log);
    this.seconds = (performance.now() - this.start) / 1000;
  }

  /** Releases the seats the run held and left held (after the drain: not measured). */
  async releaseRest(): Promise<void> {
    const now = performance.now();
    const rest = Array.from({ length: this.primed }, (_, k) => ({ seat: this.pairs + k, step: 2 as const, due: now }));
    await this.execute(rest, null);
  }

  /**
   * The changes in due order by the maker's workers: each waits for its due time, or goes at once
   * when the workers are behind (the rate made is measured, not assumed).
   */
  private async execute(queue: Array<{ seat: number; step: Step; due: number }>, log: ChangeRecord[] | null): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: this.maker.workers }, async () => {
        while (next < queue.length) {
          const { seat, step, due } = queue[next++]!;
          let holdDone = (_made: boolean) => {};
          if (step === 1) this.held[seat] = new Promise((resolve) => (holdDone = resolve));
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          // A release waits for its hold (made 1 s or HOLD_MS before, so it rarely waits), and is not
          // tried without it: tickets.release answers 200 for a seat it does not change.
          if (step === 2 && !(await this.held[seat])) {
            log?.push({ seat, step, at: performance.now(), made: false, outcome: 'hold not made' });
            continue;
          }
          const sent = performance.now();
          const outcome = await this.maker
            .change(seat % this.maker.holders, this.seats[seat]!, step === 1 ? 'R' : 'A')
            .catch((error: unknown) => `error ${(error as Error).message}`);
          const at = this.maker.countsFromAnswer ? performance.now() : sent;
          const made = outcome === 'changed';
          holdDone(made);
          if (step === 2 && made && log) this.releasedAt[seat] = at;
          log?.push({ seat, step, at, made, outcome });
        }
      }),
    );
  }
}

/** The changes the bench tried that did not happen, and why. */
function notMade(log: ChangeRecord[]): string {
  const failed = new Tally();
  for (const c of log) if (!c.made) failed.add(c.outcome);
  return failed.toString() === 'none' ? '' : ` (not made: ${failed.toString()})`;
}

/** What one `data:` of the stream says about the run's seats, parsed once for all subscribers that get the same text. */
type Parsed = { kind: 'changes'; version: string; steps: Int32Array } | { kind: 'map'; version: string; map: CompactSeatMap };

/**
 * The subscribers: one `inventory.seatChanges` stream each, over its own connection, and what each
 * one's map shows of the run's seats.
 *
 * What counts as delivered: the server does not send every state a seat passes through. It reads
 * the event's map when its version moved (every 200 ms at most) and sends the seats that differ
 * from its last read, and a subscriber that is behind gets what piled up merged into one message.
 * So a change counts as shown to a subscriber when the messages it was sent, applied in order, show
 * the seat in that step or a later one: a hold is shown by R, or by the A of its release if the R
 * never came ("coalesced": the map is right, nothing was lost; its delay runs to that A). An A in a
 * `changes` message is always the release (the server saw the seat R before, or would not name it);
 * an A in a whole `map` message (sent to a subscriber that fell too far behind) counts as the
 * release only when some `changes` message at or before the map's version showed it (all
 * subscribers of the event share one follower), else as the seat untouched.
 */
class Subscribers {
  readonly streams: EventStream[] = [];
  rss: { before: number | null; open: number | null; perSubscriber: number | null } = { before: null, open: null, perSubscriber: null };
  openP50 = Number.NaN;
  openP99 = Number.NaN;
  refused = 0;
  refusals = '';
  idle!: CpuUse;
  /** Streams open when the run started: the ones it counts on (a stream that ends later loses what it misses). */
  watching = 0;
  private readonly counted: boolean[] = [];

  // What the streams say about the current run's seats (set by `track`).
  private run: SeatChanges | null = null;
  private seatIndex = new Map<string, number>();
  /** Per stream and seat: the step its map shows. */
  private step = new Uint8Array(0);
  /** Per stream, seat and step: when the map first showed that step or a later one (NaN: not yet). */
  private shownAt = new Float64Array(0);
  /** Per stream and seat: the hold was first shown by its release. */
  private skipped = new Uint8Array(0);
  /** Per seat: the lowest version of a `changes` message that showed its release, to anyone. */
  private releaseVersion: Array<string | undefined> = [];
  private readonly parsed = new Map<string, Parsed>();
  /** Measured changes shown (or superseded) so far, all streams: the drain waits for all of them. */
  shownCount = 0;
  /** Per stream, the version of its last message: each must be newer. */
  private readonly lastVersion: Array<string | undefined> = [];
  outOfOrder = 0;
  maps = 0;
  otherSeats = 0;
  errors = 0;
  arrivals: number[] = [];
  /** Per stream, until it is open: what resolves the wait for it (tRPC's `connected` event, or NaN). */
  private readonly connected: Array<((at: number) => void) | null> = [];

  static async open(ctx: BenchContext, subscribers: number): Promise<Subscribers> {
    const subs = new Subscribers();
    await subs.connect(ctx, subscribers);
    return subs;
  }

  openStreams(): EventStream[] {
    return this.streams.filter((s) => !s.ended);
  }

  bytesRead(): number {
    return this.streams.reduce((sum, s) => sum + s.bytesRead(), 0);
  }

  close(): void {
    for (const s of this.streams) s.close();
  }

  /** From now on, what the streams show of `run`'s seats is kept (before its priming holds). */
  track(run: SeatChanges): void {
    const n = this.streams.length * run.seats.length;
    this.run = run;
    this.seatIndex = new Map(run.seats.map((s, i) => [`${s.row}\u0000${s.number}`, i]));
    this.step = new Uint8Array(n);
    this.shownAt = new Float64Array(2 * n).fill(Number.NaN);
    this.skipped = new Uint8Array(n);
    this.releaseVersion = [];
    this.parsed.clear();
    this.shownCount = 0;
    this.arrivals = [];
    this.streams.forEach((s, i) => (this.counted[i] = !s.ended));
    this.watching = this.openStreams().length;
  }

  /**
   * Every measured change to every stream open at the start: its delay from when it counts to when
   * the stream's map showed it. Also the p99 per second of the run, for bursts and stalls.
   */
  delivery(): { delivery: Delivery; bySecond: string; early: number } {
    const run = this.run!;
    const seats = run.seats.length;
    const streams = this.streams.length;
    const made = run.log.filter((c) => c.made);
    const delays = new Float64Array(made.length * streams);
    let count = 0;
    let shown = 0;
    let coalesced = 0;
    let lost = 0;
    let early = 0;
    const bySecond: number[] = [];
    let second = 0;
    let secondStart = 0;
    const closeSecond = () => {
      const slice = delays.slice(secondStart, count).sort();
      if (slice.length > 0) bySecond[second] = slice[Math.min(slice.length - 1, Math.ceil(0.99 * slice.length) - 1)]!;
      secondStart = count;
    };
    for (const c of [...made].sort((a, b) => a.at - b.at)) {
      const s = Math.floor((c.at - run.start) / 1000);
      if (s !== second) {
        closeSecond();
        second = s;
      }
      const superseded = c.step === 1 && !Number.isNaN(run.releasedAt[c.seat]!);
      for (let i = 0; i < streams; i++) {
        if (!this.counted[i]) continue;
        const at = this.shownAt[2 * (i * seats + c.seat) + c.step - 1]!;
        if (Number.isNaN(at)) {
          if (superseded) coalesced++;
          else lost++;
          continue;
        }
        if (c.step === 1 && this.skipped[i * seats + c.seat]) coalesced++;
        else shown++;
        if (at < c.at) early++;
        delays[count++] = Math.max(0, at - c.at);
      }
    }
    closeSecond();
    return {
      delivery: summarise(delays, count, lost, shown, coalesced),
      bySecond: Array.from(bySecond, (ms) => (ms === undefined ? '-' : fmtMs(ms))).join(', '),
      early,
    };
  }

  private onEvent(stream: number, event: SseEvent, at: number): void {
    if (event.event !== null) {
      // tRPC's "connected" (the stream is up), "ping", "return"; "serialized-error" ends the stream.
      if (event.event === 'connected') this.connected[stream]?.(at);
      if (event.event === 'serialized-error') {
        this.errors++;
        this.connected[stream]?.(Number.NaN);
      }
      return;
    }
    if (!this.run) return;
    const message = this.parse(event.data);
    const last = this.lastVersion[stream];
    if (last !== undefined && compareVersions(message.version, last) <= 0) {
      this.outOfOrder++;
      return;
    }
    this.lastVersion[stream] = message.version;
    if (this.run.start > 0) {
      const second = Math.floor((at - this.run.start) / 1000);
      if (second >= 0) this.arrivals[second] = (this.arrivals[second] ?? 0) + 1;
    }
    if (message.kind === 'changes') {
      for (let k = 0; k < message.steps.length; k += 2) this.advance(stream, message.steps[k]!, message.steps[k + 1] as Step, at);
      return;
    }
    this.maps++;
    const rows = new Map(message.map.rows.map((r) => [r.name, r]));
    this.run.seats.forEach((seat, index) => {
      const r = rows.get(seat.row);
      const offset = r ? (r.first === null ? (r.numbers ?? []).indexOf(seat.number) : seat.number - r.first) : -1;
      const status = r && offset >= 0 ? r.status[offset] : undefined;
      const released = this.releaseVersion[index];
      if (status === 'R') this.advance(stream, index, 1, at);
      else if (status === 'A' && released !== undefined && compareVersions(released, message.version) <= 0) this.advance(stream, index, 2, at);
    });
  }

  /** The stream's map now shows `seat` at `step` (or later): the steps it skips to are shown now too. */
  private advance(stream: number, seat: number, step: Step, at: number): void {
    const run = this.run!;
    const cell = stream * run.seats.length + seat;
    const from = this.step[cell]!;
    if (step <= from) return;
    if (from === 0 && step === 2) this.skipped[cell] = 1;
    for (let s = from + 1; s <= step; s++) {
      this.shownAt[2 * cell + s - 1] = at;
      if (run.measured(seat, s as Step)) this.shownCount++;
    }
    this.step[cell] = step;
  }

  private parse(data: string): Parsed {
    let parsed = this.parsed.get(data);
    if (parsed) return parsed;
    const message = JSON.parse(data) as SeatChangesMessage;
    if (message.kind === 'map') {
      parsed = { kind: 'map', version: message.version, map: message.map };
    } else {
      const steps: number[] = [];
      let others = 0;
      for (const c of message.changes) {
        const seat = this.seatIndex.get(`${c.row}\u0000${c.number}`);
        if (seat === undefined || c.status === 'S') others++;
        else {
          steps.push(seat, c.status === 'R' ? 1 : 2);
          if (c.status === 'A') {
            const known = this.releaseVersion[seat];
            if (known === undefined || compareVersions(message.version, known) < 0) this.releaseVersion[seat] = message.version;
          }
        }
      }
      this.otherSeats += others;
      parsed = { kind: 'changes', version: message.version, steps: Int32Array.from(steps) };
    }
    // Every subscriber gets the same few texts a second; a bound keeps a stray variety from piling up.
    if (this.parsed.size > 10_000) this.parsed.clear();
    this.parsed.set(data, parsed);
    return parsed;
  }

  private async connect(ctx: BenchContext, subscribers: number): Promise<void> {
    // As the browser: the map first, then the stream from its version (nothing is sent until something changes).
    const map = trpcData<CompactSeatMap>(await firstAnswer(ctx, trpcPath('inventory.seatMapCompact', { eventId: ctx.fixture.eventId })));
    const url = `${ctx.serverUrl}${trpcPath('inventory.seatChanges', { eventId: ctx.fixture.eventId, lastEventId: map.version })}`;
    const refusals = new Tally();
    const openTimes: number[] = [];
    this.rss.before = processRssBytes(ctx.serverPid);
    const started = performance.now();
    for (let first = 0; first < subscribers; first += OPEN_AT_ONCE) {
      const batch: Array<Promise<void>> = [];
      for (let s = first; s < Math.min(subscribers, first + OPEN_AT_ONCE); s++) {
        const sent = performance.now();
        const connected = new Promise<number>((resolve) => {
          this.connected[s] = resolve;
        });
        const stream = openEventStream(url, { 'accept-encoding': BROWSER_ACCEPT_ENCODING }, (event, at) => this.onEvent(s, event, at));
        this.streams.push(stream);
        batch.push(
          (async () => {
            try {
              const { status, headers } = await stream.response;
              if (status !== 200) {
                refusals.add(`HTTP ${status}`);
                stream.close();
                return;
              }
              // Compressed server-sent events would sit in the compressor until it fills a block.
              if (headers['content-encoding']) refusals.add(`compressed (${headers['content-encoding']})`);
              const at = await Promise.race([connected, sleep(30_000).then(() => Number.NaN)]);
              if (Number.isNaN(at)) {
                refusals.add(stream.ended ? 'an error event' : 'not connected within 30 s');
                stream.close();
              } else openTimes.push(at - sent);
            } catch (error) {
              refusals.add(`connection error ${(error as Error).message}`);
            } finally {
              this.connected[s] = null;
            }
          })(),
        );
      }
      await Promise.all(batch);
    }
    this.refused = subscribers - this.openStreams().length;
    this.refusals = refusals.toString();
    this.openP50 = quantileOf(openTimes, 0.5);
    this.openP99 = quantileOf(openTimes, 0.99);
    console.log(
      `  opened ${fmtInt(this.openStreams().length)} of ${fmtInt(subscribers)} streams in ${fmtMs(performance.now() - started)}: connected p50 ${fmtMs(this.openP50)}, p99 ${fmtMs(this.openP99)}` +
        `${this.refused > 0 || this.refusals !== 'none' ? `; refused: ${this.refusals}` : ''}`,
    );
    // Idle streams should cost next to nothing (the server still looks at the event's version every 200 ms).
    const meter = cpuMeter(ctx.serverPid);
    await sleep(2000);
    this.idle = meter();
    this.rss.open = processRssBytes(ctx.serverPid);
    if (this.rss.before !== null && this.rss.open !== null && this.openStreams().length > 0)
      this.rss.perSubscriber = (this.rss.open - this.rss.before) / this.openStreams().length;
    console.log(
      `  ${fmtInt(this.openStreams().length)} idle streams: ${describeCpu(this.idle)}; server RSS ${fmtMb(this.rss.before)} -> ${fmtMb(this.rss.open)}` +
        ` (${this.rss.perSubscriber === null ? 'n/a' : fmtBytes(this.rss.perSubscriber)} per stream)`,
    );
  }
}

const quantileOf = (samples: number[], q: number) => {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

interface LiveResult {
  rate: number;
  delivery: Delivery;
  maps: number;
  outOfOrder: number;
  ended: number;
  /** CPU per second of changes, the delivery after them included. */
  cost: CpuUse;
  bytesPerSecond: number;
  rssAfter: number | null;
  shopper: ShopperProbe;
}

/**
 * The changes with the streams open. After the last one, waits up to BENCH_LIVE_DRAIN_SECONDS for
 * every subscriber's map to show every change; what it does not show by then is lost.
 */
async function liveRun(ctx: BenchContext, subs: Subscribers, changes: SeatChanges): Promise<LiveResult> {
  const drainMs = ctx.options.liveDrainSeconds * 1000;
  subs.track(changes);
  await changes.prime();

  const bytesBefore = subs.bytesRead();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const shopper = probeShopper(ctx.serverUrl);
  const meter = cpuMeter(ctx.serverPid);
  await changes.run();
  const during = meter();
  const expected = changes.log.filter((c) => c.made).length * subs.watching;
  const drainStart = performance.now();
  while (subs.shownCount < expected && performance.now() - drainStart < drainMs) await sleep(100);
  const drained = performance.now() - drainStart;
  const whole = meter();
  const shopped = await shopper.stop();
  loopDelay.disable();
  const bytes = subs.bytesRead() - bytesBefore;
  const rssAfter = processRssBytes(ctx.serverPid);
  const { delivery: d, bySecond, early } = subs.delivery();
  const cost = perSecondOfLoad(whole, during.seconds);
  const ended = subs.watching - subs.openStreams().length;
  await changes.releaseRest();

  console.log(
    `  live at ${changes.rate().toFixed(1)} changes/s (${changes.made()} changes${notMade(changes.log)}) to ${fmtInt(subs.watching)} streams: ${describeDelivery(d)} ` +
      `(${d.lost === 0 ? `all shown ${fmtMs(drained)} after the last change` : `the wait stopped ${drainMs / 1000} s after the last change`}); ` +
      `delay p50 ${fmtDelay(d.p50)}, p90 ${fmtDelay(d.p90)}, p99 ${fmtDelay(d.p99)}${early ? ` (${fmtInt(early)} shown before the bench had its answer: counted as 0)` : ''}`,
  );
  console.log(`    p99 by second of the run: ${bySecond}`);
  console.log(`    messages arriving per second from the first change: ${Array.from(subs.arrivals, (n) => fmtInt(n ?? 0)).join(', ')}`);
  console.log(
    `    while the changes ran ${describeCpu(during)}; per second of changes, delivery included, ${describeCpu(cost)}; ` +
      `${fmtBytes(bytes / during.seconds)}/s to the subscribers; whole maps ${subs.maps}, out of order ${subs.outOfOrder}, ` +
      `seats not the bench's ${subs.otherSeats}, error events ${subs.errors}, streams ended ${ended}; ` +
      `bench event loop delay p99 ${fmtMs(loopDelay.percentile(99) / 1e6)}; server RSS after ${fmtMb(rssAfter)}`,
  );
  console.log(`    a shopper's GET /trpc/health every 100 ms meanwhile: ${describeShopper(shopped)}`);
  return {
    rate: changes.rate(),
    delivery: d,
    maps: subs.maps,
    outOfOrder: subs.outOfOrder,
    ended,
    cost,
    bytesPerSecond: bytes / during.seconds,
    rssAfter,
    shopper: shopped,
  };
}

interface ShopperProbe {
  latencies: number[];
  statuses: Tally;
}

/**
 * A shopper's small API call (GET /trpc/health, shed like any API call when the server is
 * overloaded) every 100 ms on its own connection while a phase runs: what the phase does to
 * everybody else's requests.
 */
function probeShopper(serverUrl: string): { stop(): Promise<ShopperProbe> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const result: ShopperProbe = { latencies: [], statuses: new Tally() };
  let running = true;
  let current: { req: http.ClientRequest; sent: number } | null = null;
  const once = () =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const req = http.get(`${serverUrl}/trpc/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          result.statuses.add(res.statusCode ?? 0);
          result.latencies.push(performance.now() - sent);
          resolve();
        });
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      current = { req, sent };
    });
  const done = (async () => {
    while (running) {
      const start = performance.now();
      await once();
      current = null;
      await sleep(Math.max(0, 100 - (performance.now() - start)));
    }
  })();
  return {
    async stop() {
      running = false;
      // A call still unanswered after a grace period is given up on, and counted as what it waited.
      await Promise.race([done, sleep(2000)]);
      const pending = current;
      if (pending) {
        result.statuses.add('unanswered');
        result.latencies.push(performance.now() - pending.sent);
        pending.req.destroy();
      }
      await done;
      agent.destroy();
      return result;
    },
  };
}

const describeShopper = (p: ShopperProbe) =>
  `p50 ${fmtMs(quantileOf(p.latencies, 0.5))} / p99 ${fmtMs(quantileOf(p.latencies, 0.99))}; ${p.statuses.get(503)} of ${p.latencies.length} shed (503)` +
  `${p.statuses.get('unanswered') ? `, the last unanswered after ${fmtMs(p.latencies.at(-1)!)}` : ''}`;

/** The event's free seats, shuffled, from the compact map as anyone may read it. */
async function availableSeats(ctx: BenchContext): Promise<Seat[]> {
  const res = await ctx.api.request('GET', trpcPath('inventory.seatMapCompact', { eventId: ctx.fixture.eventId }));
  const map = trpcData<CompactSeatMap>(res);
  const seats: Seat[] = [];
  for (const r of map.rows) {
    for (let i = 0; i < r.status.length; i++) {
      if (r.status[i] === 'A') seats.push({ row: r.name, number: r.first === null ? r.numbers![i]! : r.first + i });
    }
  }
  for (let i = seats.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [seats[i], seats[j]] = [seats[j]!, seats[i]!];
  }
  return seats;
}

/** Single-seat UPDATEs on the app's database, from a few connections of the bench's own (autocommit). */
async function sqlChanges(ctx: BenchContext, url: string): Promise<ChangeMaker> {
  const workers = 8;
  const clients: pg.Client[] = [];
  for (let i = 0; i < workers; i++) {
    const client = await connectWhenRoom(url);
    // The cleanup after an interrupted run drops the database WITH (FORCE): not worth a crash.
    client.on('error', () => {});
    clients.push(client);
  }
  const idle = [...clients];
  const { eventId, buyers } = ctx.fixture;
  return {
    what: 'single-seat UPDATEs of "Ticket" in SQL (autocommit)',
    workers,
    holders: buyers.length,
    countsFromAnswer: true,
    async change(holder, seat, to) {
      // One statement in flight per connection: each worker takes one for its call.
      const client = idle.pop()!;
      try {
        const holderId = buyers[holder]!.id;
        const result =
          to === 'R'
            ? await client.query(
                `UPDATE "Ticket" SET status = 'RESERVED', "holdId" = $1::uuid, "heldById" = $2::uuid,
                   "holdExpiresAt" = (now() AT TIME ZONE 'UTC') + interval '10 minutes'
                 WHERE "eventId" = $3::uuid AND "rowName" = $4 AND "seatNumber" = $5 AND status = 'AVAILABLE'`,
                [crypto.randomUUID(), holderId, eventId, seat.row, seat.number],
              )
            : await client.query(
                `UPDATE "Ticket" SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
                 WHERE "eventId" = $1::uuid AND "rowName" = $2 AND "seatNumber" = $3 AND status = 'RESERVED' AND "heldById" = $4::uuid`,
                [eventId, seat.row, seat.number, holderId],
              );
        return result.rowCount === 1 ? 'changed' : 'no row';
      } finally {
        idle.push(client);
      }
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => {})));
    },
  };
}

/** tickets.reserve / tickets.release of one seat over HTTP as one of the signed-in buyers (PGlite). */
function httpChanges(ctx: BenchContext): ChangeMaker {
  const { eventId } = ctx.fixture;
  let reported = 0;
  return {
    what: 'tickets.reserve / tickets.release of one seat over HTTP (PGlite is the server process’s own)',
    workers: ctx.tokens.length,
    holders: ctx.tokens.length,
    countsFromAnswer: false,
    async change(holder, seat, to) {
      const procedure = to === 'R' ? 'tickets.reserve' : 'tickets.release';
      const res = await ctx.api.request('POST', `/trpc/${procedure}`, { headers: bearer(ctx.tokens[holder]!), json: { eventId, seats: [seat] } });
      if (res.status !== 200 && res.status !== 503 && reported++ < 3)
        console.log(`  unexpected: ${procedure} ${res.status} ${trpcErrorMessage(res)}`);
      return res.status === 200 ? 'changed' : `${procedure.slice('tickets.'.length)} ${res.status}`;
    },
    close: async () => {},
  };
}

/**
 * Waits until the server is quiet again (under a tenth of a core over a second; at most three
 * minutes), so a phase does not pay for work the previous one left behind. How long that took.
 */
async function settle(serverPid: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 180_000) {
    const meter = cpuMeter(serverPid);
    await sleep(1000);
    const server = meter().server;
    if (server === null || server < 0.1) break;
  }
  return performance.now() - start;
}

/** The map as it is now (its ETag); retried, since the server may just have been very busy. */
async function firstAnswer(ctx: BenchContext, path: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await ctx.api.request('GET', path, { headers: { 'accept-encoding': BROWSER_ACCEPT_ENCODING } });
      if (res.status === 200) return res;
      if (attempt >= 5) throw new Error(`inventory.seatMapCompact answered ${res.status}`);
    } catch (error) {
      // A keep-alive connection the server closed while it was busy: try again on a new one.
      if (attempt >= 5) throw error;
    }
    await sleep(1000);
  }
}

interface Poll {
  sent: number;
  done: number;
}

/**
 * The baseline: `viewers` pages each polling the compact seat map every 5 s (staggered evenly, so
 * viewers / 5 requests a second, sent on time whether or not earlier ones were answered), each
 * sending the ETag of its last answer as the browser's revalidation does. With `changes`, the
 * changes are made meanwhile, and a change reaches a viewer with the first answer to a poll sent
 * after it (its seat in that step or a later one: a hold released before that poll is coalesced).
 * Keep-alive connections (at most 256 at once); bytes are counted on the sockets. CPU is counted
 * until the last answer, per second of polling.
 */
async function pollRun(ctx: BenchContext, viewers: number, seconds: number, changes: SeatChanges | null) {
  const busyFor = await settle(ctx.serverPid);
  if (busyFor > 1500) console.log(`  (waited ${fmtMs(busyFor)} for the server to be quiet first)`);
  const path = trpcPath('inventory.seatMapCompact', { eventId: ctx.fixture.eventId });
  await changes?.prime();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Map<net.Socket, number>();
  // Every viewer starts with the map as it is now, as if it had loaded it within the last 5 s.
  const first = await firstAnswer(ctx, path);
  const etags: Array<string | undefined> = Array.from({ length: viewers }, () => first.headers.etag);
  const polls: Poll[][] = Array.from({ length: viewers }, () => []);
  const statuses = new Tally();
  const encodings = new Tally();
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();

  const poll = (viewer: number) => {
    const sent = performance.now();
    const headers: Record<string, string> = { 'accept-encoding': BROWSER_ACCEPT_ENCODING };
    const etag = etags[viewer];
    if (etag) headers['if-none-match'] = etag;
    const done = new Promise<void>((resolve) => {
      const req = http.get(`${ctx.serverUrl}${path}`, { agent, headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const at = performance.now();
          statuses.add(status);
          if (status === 200) encodings.add(res.headers['content-encoding'] ?? 'none');
          if (typeof res.headers.etag === 'string') etags[viewer] = res.headers.etag;
          if (status === 200 || status === 304) polls[viewer]!.push({ sent, done: at });
          latencies.push(at - sent);
          resolve();
        });
        res.on('error', () => resolve());
      });
      req.on('socket', (socket) => {
        if (!sockets.has(socket)) sockets.set(socket, socket.bytesRead);
      });
      req.on('error', (error) => {
        statuses.add(`error ${error.message}`);
        resolve();
      });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };

  const shopper = probeShopper(ctx.serverUrl);
  const meter = cpuMeter(ctx.serverPid);
  const start = performance.now();
  const end = start + seconds * 1000;
  const spacing = POLL_EVERY_MS / viewers;
  const polling = (async () => {
    for (let k = 0; ; k++) {
      const at = start + k * spacing;
      if (at >= end) return;
      const wait = at - performance.now();
      if (wait > 1) await sleep(wait);
      poll(k % viewers);
    }
  })();
  await Promise.all([polling, changes?.run()]);
  const during = meter();
  await Promise.all([...inFlight]);
  const shopped = await shopper.stop();
  const tail = performance.now() - end;
  const cost = perSecondOfLoad(meter(), during.seconds);
  let bytes = 0;
  for (const [socket, base] of sockets) bytes += socket.bytesRead - base;
  agent.destroy();
  await changes?.releaseRest();

  // Only changes with a whole polling period left in the run count: every viewer polls after them.
  const counted = (changes?.log ?? []).filter((c) => c.made && c.at < end - POLL_EVERY_MS).sort((a, b) => a.at - b.at);
  const delays = new Float64Array(counted.length * viewers);
  let count = 0;
  let shown = 0;
  let coalesced = 0;
  let lost = 0;
  for (const viewerPolls of polls) {
    viewerPolls.sort((a, b) => a.sent - b.sent);
    let j = 0;
    for (const c of counted) {
      while (j < viewerPolls.length && viewerPolls[j]!.sent <= c.at) j++;
      const next = viewerPolls[j];
      if (!next) {
        lost++;
        continue;
      }
      // Its answer shows the release when that was made before the poll was sent.
      if (c.step === 1 && changes!.releasedAt[c.seat]! < next.sent) coalesced++;
      else shown++;
      delays[count++] = next.done - c.at;
    }
  }
  const delivery = summarise(delays, count, lost, shown, coalesced);
  const others = statuses.othersThan(200, 304);
  const answers = `200: ${fmtInt(statuses.get(200))}, 304: ${fmtInt(statuses.get(304))}${others ? `, other: ${fmtInt(others)}` : ''}`;
  const rate = changes ? changes.rate() : 0;
  console.log(
    `  polling${changes ? ` with ${rate.toFixed(0)} changes/s${notMade(changes.log)}` : ', nothing changing'}: ${fmtInt(latencies.length)} answers (${statuses.toString()}; encodings ${encodings.toString()}), ` +
      `answer p50 ${fmtMs(quantileOf(latencies, 0.5))}, p99 ${fmtMs(quantileOf(latencies, 0.99))}, the last ${fmtMs(tail)} after the polling stopped; ` +
      `per second of polling ${describeCpu(cost)}; ${fmtBytes(bytes / during.seconds)}/s` +
      (changes ? `; change to the next answer p50 ${fmtDelay(delivery.p50)}, p99 ${fmtDelay(delivery.p99)} (${describeDelivery(delivery)})` : ''),
  );
  console.log(`    a shopper's GET /trpc/health every 100 ms meanwhile: ${describeShopper(shopped)}`);
  return { cost, rate, bytesPerSecond: bytes / during.seconds, answers, delivery, shopper: shopped };
}
