import crypto from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type pg from 'pg';
import { compareVersions, seatChangesOf, type SeatChangesMessage } from '../../shared/live-seats.js';
import type { CompactSeatMap } from '../../shared/seat-map.js';
import type { BenchContext } from '../lib/context.js';
import { connectWhenRoom } from '../lib/databases.js';
import { bearer, HttpClient, trpcData, trpcErrorMessage, trpcPath } from '../lib/http.js';
import { Tally } from '../lib/loop.js';
import { cpuMeter, processRssBytes, type CpuUse } from '../lib/proc.js';
import { openEventStream, type EventStream, type SseEvent } from '../lib/sse.js';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, quantile, sleep } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

/** How often each viewer's page polled the seat map before live updates (the baseline). */
const POLL_EVERY_MS = 5000;
/** Streams opened at once while connecting the subscribers. */
const OPEN_AT_ONCE = 100;
/** How long the server goes on following an event after its last subscriber left (LINGER_MS in live-seats.ts), and a second more. */
const LINGER_MS = 31_000;
/** Target: a change on every subscriber's map within this long. */
const TARGET_P99_MS = 1000;
/** What a browser sends (server-sent events must come back uncompressed all the same). */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';
/**
 * How long each seat stays held before the bench releases it (a shopper's hold lasts minutes). The
 * server sends what differs between two reads of the map (one every 200 ms when it keeps up), so a
 * hold shows as R unless the server falls 2 s behind (then it counts as coalesced).
 */
const HOLD_MS = 2000;

interface Seat {
  row: string;
  number: number;
}

/** What the bench does to each seat, once (every run takes fresh seats): 1 hold it (R), 2 release it (A). 0 is untouched (A). */
type Step = 1 | 2;

interface Change {
  seat: number;
  step: Step;
  /** When the bench sent it, and when it had the answer (performance.now()): the commit is just before. */
  sent: number;
  at: number;
  made: boolean;
  /** "changed", or what happened instead. */
  outcome: string;
}

/** Makes one seat change as one of `holders` buyers (the same buyer holds and releases a seat: seat index % holders). */
interface ChangeMaker {
  what: string;
  workers: number;
  holders: number;
  change(holder: number, seat: Seat, to: 'R' | 'A'): Promise<string>;
  close(): Promise<void>;
}

/** Delays of every change to every viewer, Infinity for the lost ones (so losing a change cannot flatter the p99). */
interface Delivery {
  expected: number;
  /** Delivered, the holds among them with an R. */
  shown: number;
  /** Holds delivered without an R ever reaching that viewer: merged with their release, or held and released between two reads of the map. */
  coalesced: number;
  lost: number;
  /** Delivered before the bench had the answer of the call that made it (counted as 0). */
  early: number;
  p50: number;
  p99: number;
  max: number;
  /** p99 per second of the run, to see bursts and a growing backlog. */
  bySecond: string;
}

/**
 * Live seat updates (`inventory.seatChanges`, server-sent events) against the polling they replace,
 * on one server, with the bench changing seats at BENCH_LIVE_RATE a second (default 200: half holds,
 * half releases of holds made 2 s before) for 1.25 x BENCH_SECONDS:
 *
 * 1. BENCH_LIVE_SUBSCRIBERS streams (default 2,000) opened as the browser opens them (the compact
 *    map first, then the stream from its version; the first 50 signed in as the 50 buyers who make
 *    the holds): RSS and idle CPU;
 * 2. the changes with the streams open: each change's delay to each stream (see `Subscribers`),
 *    CPU, bytes, RSS, and a shopper's call meanwhile;
 * 3. the changes alone, nobody watching (once the server has stopped following the event, 30 s
 *    after its last subscriber left): what making them costs;
 * 4. the baseline, as many viewers each polling `inventory.seatMapCompact` every 5 s with the ETag
 *    of its last answer in If-None-Match, with the same changes; then the same polling while
 *    nothing changes (every answer a 304).
 *
 * On PostgreSQL the changes are single-seat UPDATEs of "Ticket" from the
 * bench's own connections (the server follows committed versions whoever writes them, so this is
 * the fan-out alone, the writes being the other instances' shoppers'); on PGlite, which only the
 * server process can open, they are `tickets.reserve` / `tickets.release` over HTTP.
 */
export async function liveFigure(ctx: BenchContext): Promise<Row[]> {
  const { liveSubscribers: subscribers, liveRate: rate } = ctx.options;
  const seconds = ctx.options.seconds * 1.25;
  console.log(`\n== live seat updates: ${fmtInt(subscribers)} subscribers, ${rate} seat changes/s for ${seconds} s, against polling every 5 s`);

  const seats = await freeSeats(ctx);
  const perRun = SeatChanges.seatsFor(rate, seconds);
  if (seats.length < 3 * perRun) throw new Error(`live: only ${seats.length} free seats on the event, ${3 * perRun} wanted`);
  const maker = ctx.appDatabaseUrl ? await sqlChanges(ctx, ctx.appDatabaseUrl) : httpChanges(ctx);
  console.log(`  changes: ${maker.what}, ${maker.workers} at a time; each seat held, then released ${HOLD_MS / 1000} s later`);
  let used = 0;
  const changes = () => new SeatChanges(maker, seats.slice(used, (used += perRun)), rate, seconds);

  let subs: Subscribers | null = null;
  try {
    // 1. The streams, on a server that has done little yet (less garbage to blur its RSS).
    await settle(ctx.serverPid);
    subs = await Subscribers.open(ctx, subscribers, maker.holders);
    if (subs.opened === 0) {
      return [
        row('live seat updates (inventory.seatChanges)', `not measured: no stream opened (${subs.refusals.toString()})`, '', '', 'p99 < 1 s', false),
      ];
    }

    // 2. The changes while they watch.
    const live = await liveRun(ctx, subs, changes());
    subs.close();
    // The server follows an event for 30 s after its last subscriber left: not under the baselines.
    await sleep(LINGER_MS);
    const busyFor = await settle(ctx.serverPid);
    console.log(`  streams closed; the server stopped following the event, and was quiet ${fmtMs(LINGER_MS + busyFor)} later`);

    // 3. The changes alone.
    const alone = changes();
    await alone.prime();
    const aloneMeter = cpuMeter(ctx.serverPid);
    await alone.run();
    const aloneCpu = aloneMeter();
    await alone.releaseRest();
    console.log(`  changes alone: ${alone.rate().toFixed(0)} changes/s${notMade(alone.log)}; ${describeCpu(aloneCpu)}`);

    // 4. Polling, with the changes and without.
    const polled = await pollRun(ctx, subscribers, seconds, changes());
    const quiet = await pollRun(ctx, subscribers, seconds, null);

    const rateOf = (made: number) => (made >= 0.9 * rate ? `${made.toFixed(0)} changes/s` : `${made.toFixed(1)} changes/s (${rate}/s asked)`);
    const pollers = `${fmtInt(subscribers)} viewers polling every 5 s (${fmtInt(Math.round((subscribers * 1000) / POLL_EVERY_MS))} req/s, If-None-Match)`;
    const d = live.delivery;
    const p = polled.delivery;
    const rows = [
      row(
        `live: commit to each of ${fmtInt(live.watching)} subscribers' maps (SSE), p50 / p99 / max, ${rateOf(live.rate)}`,
        `${fmtDelay(d.p50)} / ${fmtDelay(d.p99)} / ${fmtDelay(d.max)}`,
        `${fmtDelay(p.p50)} / ${fmtDelay(p.p99)} / ${fmtDelay(p.max)} (${pollers}, ${rateOf(polled.rate)}: to the answer of the first poll sent after it)`,
        '',
        `p99 < ${TARGET_P99_MS / 1000} s`,
        d.p99 < TARGET_P99_MS,
      ),
      row(
        `live: changes x subscribers delivered (of them coalesced) / lost; wrong \`mine\``,
        `${describeDelivery(d)}; wrong mine ${fmtInt(live.wrongMine)}; run seats shown wrong once caught up ${fmtInt(live.wrongStatus)}; whole maps ${fmtInt(live.maps)}; streams ended ${live.ended}`,
        describePolled(p),
        '',
        'none lost or wrong',
        d.lost === 0 && live.wrongMine === 0 && live.wrongStatus === 0 && live.ended === 0,
      ),
      row(
        `live: server CPU-s per s at ${rateOf(live.rate)}, delivery included`,
        `${fmtCpu(live.cpu.server)} (idle streams ${fmtCpu(subs.idle.server)}; the changes alone ${fmtCpu(aloneCpu.server)})`,
        `${fmtCpu(polled.cpu.server)} (${pollers}); ${fmtCpu(quiet.cpu.server)} on an unchanging map (all 304)`,
        live.cpu.server !== null && polled.cpu.server ? fmtRatio(live.cpu.server / polled.cpu.server) : '',
      ),
    ];
    if (ctx.kind === 'postgresql') {
      rows.push(
        row(
          `live: PostgreSQL CPU-s per s (every backend on the machine)`,
          `${fmtCpu(live.cpu.postgres)} (the changes alone ${fmtCpu(aloneCpu.postgres)})`,
          `${fmtCpu(polled.cpu.postgres)}; ${fmtCpu(quiet.cpu.postgres)} on an unchanging map`,
          live.cpu.postgres !== null && polled.cpu.postgres ? fmtRatio(live.cpu.postgres / polled.cpu.postgres) : '',
        ),
      );
    }
    rows.push(
      row(
        'live: server memory per open stream (RSS growth / streams); RSS before / open / after the changes',
        `${subs.rssPerStream === null ? 'n/a' : fmtBytes(Math.round(subs.rssPerStream))}; ${fmtMb(subs.rssBefore)} / ${fmtMb(subs.rssOpen)} / ${fmtMb(live.rssAfter)}`,
      ),
      row(
        `live: bytes to the viewers per s`,
        `${fmtBytes(Math.round(live.bytesPerSecond))}/s (${live.messagesPerStream.toFixed(1)} messages/s per stream, ${fmtBytes(Math.round(live.bytesPerMessage))} each)`,
        `${fmtBytes(Math.round(polled.bytesPerSecond))}/s (${polled.answers}); ${fmtBytes(Math.round(quiet.bytesPerSecond))}/s on an unchanging map`,
        fmtRatio(live.bytesPerSecond / polled.bytesPerSecond),
      ),
      row(`live: a shopper's GET /trpc/health every 100 ms meanwhile, p50 / p99`, describeShopper(live.shopper), describeShopper(polled.shopper)),
      row(
        `live: opening ${fmtInt(subscribers)} streams: connected p50 / p99; refused`,
        `${fmtMs(quantile(subs.openTimes, 0.5))} / ${fmtMs(quantile(subs.openTimes, 0.99))}; ${subscribers - subs.opened}`,
        '',
        '',
        'none refused',
        subs.opened === subscribers,
      ),
    );
    return rows;
  } finally {
    subs?.close();
    await maker.close();
  }
}

/**
 * The seat changes of one run, at `rate` a second for `seconds`: each seat held, then released
 * HOLD_MS later, fresh seats only. The first HOLD_MS x rate / 2 seats are held before the run
 * (`prime`, not measured), so from its first second it makes rate / 2 holds and rate / 2 releases
 * a second; the seats still held at its end are released after it (`releaseRest`, not measured).
 */
class SeatChanges {
  /** Seats [0, primed) are held before the run and released in it. */
  readonly primed: number;
  /** Seats [primed, primed + pairs) are held in the run; seats [0, pairs) released in it. */
  readonly pairs: number;
  /** The measured changes, as they were answered. */
  readonly log: Change[] = [];
  start = 0;
  /** From the first change due to the last one answered. */
  seconds = 0;
  /** Per seat, whether its hold was made (a release waits for it, and is skipped without it). */
  private readonly held: Array<Promise<boolean>> = [];
  /** Seats held now. */
  private readonly holding = new Set<number>();

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
  }

  /** Whether this change of this seat is one of the run's (not a priming hold, nor a release after it). */
  measured(seat: number, step: Step): boolean {
    return step === 1 ? seat >= this.primed : seat < this.pairs;
  }

  made(): number {
    return this.log.filter((c) => c.made).length;
  }

  rate(): number {
    return this.made() / this.seconds;
  }

  /** Holds the first seats all at once, then leaves a second for the streams to show them. */
  async prime(): Promise<void> {
    const now = performance.now();
    await this.execute(
      Array.from({ length: this.primed }, (_, seat) => ({ seat, step: 1 as const, due: now })),
      null,
    );
    await sleep(1000);
  }

  /** Tick i holds seat primed + i and, half a tick later, releases seat i (held HOLD_MS before). */
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

  /** Releases the seats the run left held, its last ones and any whose release failed (not measured; a buyer may hold only 10). */
  async releaseRest(): Promise<void> {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const now = performance.now();
      const rest = [...this.holding].map((seat) => ({ seat, step: 2 as const, due: now }));
      if (rest.length === 0) return;
      if (attempt > 1) await sleep(1000);
      await this.execute(rest, null);
    }
  }

  /** The changes in due order by the maker's workers; when they fall behind, the next goes at once (the rate made is measured, not assumed). */
  private async execute(queue: Array<{ seat: number; step: Step; due: number }>, log: Change[] | null): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: this.maker.workers }, async () => {
        while (next < queue.length) {
          const { seat, step, due } = queue[next++]!;
          let holdDone = (_made: boolean) => {};
          if (step === 1) this.held[seat] = new Promise((resolve) => (holdDone = resolve));
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
          // tickets.release answers 200 for a seat it does not change: a release is only tried after its hold.
          if (step === 2 && !(await this.held[seat])) {
            log?.push({ seat, step, sent: performance.now(), at: performance.now(), made: false, outcome: 'hold not made' });
            continue;
          }
          const sent = performance.now();
          const outcome = await this.maker
            .change(seat % this.maker.holders, this.seats[seat]!, step === 1 ? 'R' : 'A')
            .catch((error: unknown) => `error ${(error as Error).message}`);
          const made = outcome === 'changed';
          holdDone(made);
          if (made && step === 1) this.holding.add(seat);
          if (made && step === 2) this.holding.delete(seat);
          log?.push({ seat, step, sent, at: performance.now(), made, outcome });
        }
      }),
    );
  }
}

/** The changes the bench tried that did not happen, and why. */
function notMade(log: Change[]): string {
  const failed = new Tally();
  for (const c of log) if (!c.made) failed.add(c.outcome);
  return failed.toString() === 'none' ? '' : ` (not made: ${failed.toString()})`;
}

/** One `data:` of a stream, reduced to the run's seats; parsed once for all the streams that get the same text. */
type Parsed =
  | { kind: 'changes'; version: string; seats: Int32Array; status: Uint8Array; mine: Uint8Array; others: number }
  | { kind: 'map'; version: string; held: Int32Array; free: Int32Array };

/** A run seat's last status in a stream's map (low bits), and whether the stream was ever sent its hold (an R). */
const SHOWS_R = 1;
const SHOWS_A = 2;
const SAW_R = 4;

/**
 * The subscribers: one `inventory.seatChanges` stream each, over its own connection (as a browser
 * tab has), and what each one was sent.
 *
 * When a change reached a stream: every message carries the version of the map it brings the
 * subscriber to, and versions only grow with commits, so a change is on a subscriber's map from the
 * first message whose version is at least that of the first map that had the change (the event's
 * subscribers all get the diffs of one follower, which reads the map when its version moves: the
 * first read after a commit has it). That version is read off the streams: the lowest version of a
 * `changes` message that named the seat (with R for the hold or either status, with A for the
 * release). A seat held and released between two of the follower's reads is never named (the map
 * is right without it); its changes are then on every map that has a change the bench made after
 * them. This is "shows the seat in that state or a later one": a hold whose R a subscriber never got
 * (its message merged the R with the release, or the follower never saw it) counts as coalesced, with
 * the delay of the message that made its map right; a `map` message delivers all it contains.
 *
 * Checked too: versions only grow (a message not newer than the map the subscriber has is stale,
 * ignored as the browser's applySeatChanges ignores it); `mine` on every run seat a message names
 * (true exactly for an R held by the buyer the stream is signed in as); and once a stream has
 * caught up, its map's status of every run seat is what the bench left it.
 */
class Subscribers {
  readonly streams: EventStream[] = [];
  readonly refusals = new Tally();
  readonly openTimes: number[] = [];
  rssBefore: number | null = null;
  rssOpen: number | null = null;
  rssPerStream: number | null = null;
  idle!: CpuUse;
  /** Streams that opened. */
  opened = 0;
  /** Per stream, the buyer it is signed in as (-1: anonymous); buyer b holds the run's seats with index % holders = b. */
  private readonly buyerOf: number[] = [];
  private holders = 1;
  /** Per stream, the version of the map it has (the first map's, then each message's). */
  private readonly version: string[] = [];
  /** Per stream until it is up: resolves the wait for tRPC's `connected` event (false: an error event). */
  private readonly connected: Array<((ok: boolean) => void) | null> = [];

  // What the streams were sent about the current run (set by `track`).
  private run: SeatChanges | null = null;
  private seatIndex = new Map<string, number>();
  /** Per stream: open when the run started (the ones it counts on). */
  private counted = new Uint8Array(0);
  /** Per stream, its messages' versions (as numbers: exact below 2^53) and arrival times, in order. */
  private versions: number[][] = [];
  private times: number[][] = [];
  /** Per stream and seat: SHOWS_R / SHOWS_A, | SAW_R. */
  private status = new Uint8Array(0);
  /** Per seat and step: the lowest version of a `changes` message that named it so (Infinity: none yet). */
  private firstNamed = new Float64Array(0);
  private readonly parsed = new Map<string, Parsed>();
  mapCount = 0;
  messages = 0;
  stale = 0;
  wrongMine = 0;
  readonly wrongMineSeen: string[] = [];
  otherSeats = 0;
  errors = 0;

  static async open(ctx: BenchContext, subscribers: number, holders: number): Promise<Subscribers> {
    const subs = new Subscribers();
    await subs.connect(ctx, subscribers, holders);
    return subs;
  }

  openCount(): number {
    return this.streams.filter((s) => !s.ended).length;
  }

  bytesRead(): number {
    return this.streams.reduce((sum, s) => sum + s.bytesRead(), 0);
  }

  close(): void {
    for (const s of this.streams) s.close();
  }

  /** From now on, what the streams are sent about `run`'s seats is kept (call before its priming holds). How many streams it counts on. */
  track(run: SeatChanges): number {
    this.run = run;
    this.seatIndex = new Map(run.seats.map((s, i) => [`${s.row}\u0000${s.number}`, i]));
    this.counted = Uint8Array.from(this.streams, (s) => (s.ended ? 0 : 1));
    this.versions = this.streams.map(() => []);
    this.times = this.streams.map(() => []);
    this.status = new Uint8Array(this.streams.length * run.seats.length);
    this.firstNamed = new Float64Array(2 * run.seats.length).fill(Number.POSITIVE_INFINITY);
    this.parsed.clear();
    this.mapCount = 0;
    this.messages = 0;
    return this.counted.reduce((n, c) => n + c, 0);
  }

  /** Counted streams still open whose map is older than `version`. */
  behind(version: string): number {
    let n = 0;
    this.streams.forEach((s, i) => {
      if (this.counted[i] && !s.ended && compareVersions(this.version[i]!, version) < 0) n++;
    });
    return n;
  }

  /**
   * Every measured change to every counted stream: its delay from the bench's answer to the first
   * message that brought the change. `end`: the map's version after the last change (every change
   * is on a map that has it). Also the streams that caught up but show a run seat wrong.
   */
  delivery(end: string): { delivery: Delivery; wrongStatus: number } {
    const run = this.run!;
    const seats = run.seats.length;
    const made = run.log.filter((c) => c.made);
    // A change never named is on every map that has a change sent after it was answered.
    const bySent = [...made].sort((a, b) => a.sent - b.sent);
    const laterNamed = new Float64Array(bySent.length + 1).fill(Number(end));
    for (let j = bySent.length - 1; j >= 0; j--) {
      laterNamed[j] = Math.min(laterNamed[j + 1]!, this.firstNamed[2 * bySent[j]!.seat + bySent[j]!.step - 1]!);
    }
    const firstSentAfter = (at: number) => {
      let lo = 0;
      let hi = bySent.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (bySent[mid]!.sent > at) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    const streams = this.counted.reduce((n, c) => n + c, 0);
    const delays = new Float64Array(made.length * streams);
    let count = 0;
    let shown = 0;
    let coalesced = 0;
    let early = 0;
    const bySecond: string[] = [];
    let secondStart = 0;
    let second = 0;
    const closeSecond = () => {
      if (count > secondStart) bySecond[second] = fmtDelay(percentile(delays.slice(secondStart, count).sort(), 0.99));
      secondStart = count;
    };
    for (const c of [...made].sort((a, b) => a.at - b.at)) {
      const s = Math.floor((c.at - run.start) / 1000);
      if (s !== second) {
        closeSecond();
        second = s;
      }
      const version = Math.min(this.firstNamed[2 * c.seat + c.step - 1]!, laterNamed[firstSentAfter(c.at)]!);
      for (let i = 0; i < this.streams.length; i++) {
        if (!this.counted[i]) continue;
        const index = firstAtLeast(this.versions[i]!, version);
        const t = index < this.times[i]!.length ? this.times[i]![index]! : Number.POSITIVE_INFINITY;
        if (t !== Number.POSITIVE_INFINITY) {
          if (c.step === 1 && !(this.status[i * seats + c.seat]! & SAW_R)) coalesced++;
          else shown++;
          if (t < c.at) early++;
        }
        delays[count++] = Math.max(0, t - c.at);
      }
    }
    closeSecond();
    const sorted = delays.sort();

    // What the bench left each run seat as: released (A), or held (R; the priming holds included).
    const truth = new Uint8Array(seats);
    for (const c of run.log) if (c.made) truth[c.seat] = c.step === 1 ? SHOWS_R : SHOWS_A;
    for (let seat = 0; seat < run.primed; seat++) if (truth[seat] === 0) truth[seat] = SHOWS_R;
    let wrongStatus = 0;
    for (let i = 0; i < this.streams.length; i++) {
      if (!this.counted[i] || compareVersions(this.version[i]!, end) < 0) continue;
      for (let seat = 0; seat < seats; seat++) {
        if (truth[seat] === 0) continue;
        const shows = this.status[i * seats + seat]! & SHOWS_R ? SHOWS_R : SHOWS_A;
        if (shows !== truth[seat]) wrongStatus++;
      }
    }
    return {
      delivery: {
        expected: count,
        shown,
        coalesced,
        lost: count - shown - coalesced,
        early,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        max: count > 0 ? sorted[count - 1]! : Number.NaN,
        bySecond: Array.from(bySecond, (s) => s ?? '-').join(', '),
      },
      wrongStatus,
    };
  }

  private onEvent(stream: number, event: SseEvent, at: number): void {
    if (event.event !== null) {
      // tRPC's "connected" (the stream is up), "ping", "return"; "serialized-error" ends the stream.
      if (event.event === 'connected') this.connected[stream]?.(true);
      if (event.event === 'serialized-error') {
        this.errors++;
        this.connected[stream]?.(false);
      }
      return;
    }
    const message = this.parse(event.data);
    if (compareVersions(message.version, this.version[stream]!) <= 0) {
      this.stale++;
      return;
    }
    this.version[stream] = message.version;
    if (!this.run) return;
    this.messages++;
    this.versions[stream]!.push(Number(message.version));
    this.times[stream]!.push(at);
    const base = stream * this.run.seats.length;
    if (message.kind === 'map') {
      this.mapCount++;
      for (const seat of message.held) this.status[base + seat] = SHOWS_R | SAW_R;
      for (const seat of message.free) this.status[base + seat] = SHOWS_A | (this.status[base + seat]! & SAW_R);
      return;
    }
    this.otherSeats += message.others;
    const buyer = this.buyerOf[stream]!;
    for (let k = 0; k < message.seats.length; k++) {
      const seat = message.seats[k]!;
      const status = message.status[k]!;
      this.status[base + seat] = status === SHOWS_R ? SHOWS_R | SAW_R : SHOWS_A | (this.status[base + seat]! & SAW_R);
      const mine = status === SHOWS_R && buyer >= 0 && seat % this.holders === buyer;
      if ((message.mine[k] === 1) !== mine) {
        this.wrongMine++;
        if (this.wrongMineSeen.length < 5) {
          const release = this.run.log.find((c) => c.seat === seat && c.step === 2);
          this.wrongMineSeen.push(
            `${this.run.seats[seat]!.row}${this.run.seats[seat]!.number} ${status === SHOWS_R ? 'R' : 'A'} mine=${message.mine[k] === 1} ` +
              `to buyer ${buyer} at version ${message.version}, ` +
              (release ? `its release answered ${fmtMs(at - release.at)} before` : 'not released yet'),
          );
        }
      }
    }
  }

  private parse(data: string): Parsed {
    let parsed = this.parsed.get(data);
    if (parsed) return parsed;
    const message = JSON.parse(data) as SeatChangesMessage;
    if (message.kind === 'map') {
      const held: number[] = [];
      const free: number[] = [];
      const rows = new Map(message.map.rows.map((r) => [r.name, r]));
      this.run?.seats.forEach((seat, index) => {
        const r = rows.get(seat.row);
        const offset = !r ? -1 : r.first === null ? (r.numbers ?? []).indexOf(seat.number) : seat.number - r.first;
        const status = r && offset >= 0 ? r.status[offset] : undefined;
        if (status === 'R') held.push(index);
        else if (status === 'A') free.push(index);
      });
      parsed = { kind: 'map', version: message.version, held: Int32Array.from(held), free: Int32Array.from(free) };
    } else {
      const seats: number[] = [];
      const status: number[] = [];
      const mine: number[] = [];
      let others = 0;
      const version = Number(message.version);
      for (const c of seatChangesOf(message.rows)) {
        const seat = this.seatIndex.get(`${c.row}\u0000${c.number}`);
        if (seat === undefined || c.status === 'S') {
          others++;
          continue;
        }
        seats.push(seat);
        status.push(c.status === 'R' ? SHOWS_R : SHOWS_A);
        mine.push(c.mine ? 1 : 0);
        // Named at all: the hold is on this map; named A: the release too.
        for (let step = 1; step <= (c.status === 'A' ? 2 : 1); step++) {
          this.firstNamed[2 * seat + step - 1] = Math.min(this.firstNamed[2 * seat + step - 1]!, version);
        }
      }
      parsed = {
        kind: 'changes',
        version: message.version,
        seats: Int32Array.from(seats),
        status: Uint8Array.from(status),
        mine: Uint8Array.from(mine),
        others,
      };
    }
    // The streams get the same few texts a second (anonymous ones identical); a bound keeps stray ones from piling up.
    if (this.parsed.size > 10_000) this.parsed.clear();
    this.parsed.set(data, parsed);
    return parsed;
  }

  private async connect(ctx: BenchContext, subscribers: number, holders: number): Promise<void> {
    this.holders = holders;
    // As the browser: the compact map first, then the stream from its version.
    const map = await compactMap(ctx);
    const url = `${ctx.serverUrl}${trpcPath('inventory.seatChanges', { eventId: ctx.fixture.eventId, lastEventId: map.version })}`;
    this.rssBefore = processRssBytes(ctx.serverPid);
    const started = performance.now();
    for (let first = 0; first < subscribers; first += OPEN_AT_ONCE) {
      const batch: Array<Promise<void>> = [];
      for (let s = first; s < Math.min(subscribers, first + OPEN_AT_ONCE); s++) {
        // The first streams are signed in as the buyers who make the holds, to check `mine`.
        const buyer = s < holders && ctx.tokens[s] ? s : -1;
        this.buyerOf[s] = buyer;
        this.version[s] = map.version;
        const headers = { 'accept-encoding': BROWSER_ACCEPT_ENCODING, ...(buyer >= 0 ? bearer(ctx.tokens[buyer]!) : {}) };
        const sent = performance.now();
        const connected = new Promise<boolean>((resolve) => (this.connected[s] = resolve));
        const stream = openEventStream(url, headers, (event, at) => this.onEvent(s, event, at));
        this.streams.push(stream);
        batch.push(
          (async () => {
            try {
              const { status, headers: answer } = await stream.response;
              if (status !== 200) {
                this.refusals.add(`HTTP ${status}`);
                stream.close();
                return;
              }
              // Compressed server-sent events would sit in the compressor until it filled a block.
              if (answer['content-encoding']) this.refusals.add(`compressed (${answer['content-encoding']})`);
              const ok = await Promise.race([connected, sleep(30_000).then(() => null)]);
              if (ok) this.openTimes.push(performance.now() - sent);
              else {
                this.refusals.add(ok === false ? 'an error event' : 'not connected within 30 s');
                stream.close();
              }
            } catch (error) {
              this.refusals.add(`connection error ${(error as Error).message}`);
            } finally {
              this.connected[s] = null;
            }
          })(),
        );
      }
      await Promise.all(batch);
    }
    const open = (this.opened = this.openCount());
    console.log(
      `  opened ${fmtInt(open)} of ${fmtInt(subscribers)} streams (${this.buyerOf.filter((b) => b >= 0).length} signed in) in ${fmtMs(performance.now() - started)}: ` +
        `connected p50 ${fmtMs(quantile(this.openTimes, 0.5))}, p99 ${fmtMs(quantile(this.openTimes, 0.99))}` +
        (this.refusals.toString() === 'none' ? '' : `; refused: ${this.refusals.toString()}`),
    );
    // Idle streams cost next to nothing: the server still reads the event's version every 200 ms.
    const meter = cpuMeter(ctx.serverPid);
    await sleep(2000);
    this.idle = meter();
    this.rssOpen = processRssBytes(ctx.serverPid);
    if (this.rssBefore !== null && this.rssOpen !== null && open > 0) this.rssPerStream = (this.rssOpen - this.rssBefore) / open;
    console.log(
      `  ${fmtInt(open)} idle streams: ${describeCpu(this.idle)}; server RSS ${fmtMb(this.rssBefore)} -> ${fmtMb(this.rssOpen)}` +
        ` (${this.rssPerStream === null ? 'n/a' : fmtBytes(Math.round(this.rssPerStream))} per stream)`,
    );
  }
}

/** The index of the first of ascending `values` at least `min` (values.length: none). */
function firstAtLeast(values: number[], min: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! >= min) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The changes with the streams open. After the last one, waits up to BENCH_LIVE_DRAIN_SECONDS for
 * every stream to reach the map's version after it; a change a stream has not got by then is lost.
 * CPU is counted until then too, per second of changes.
 */
async function liveRun(ctx: BenchContext, subs: Subscribers, changes: SeatChanges) {
  const drainMs = ctx.options.liveDrainSeconds * 1000;
  const watching = subs.track(changes);
  await changes.prime();
  const bytesBefore = subs.bytesRead();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const shopper = probeShopper(ctx.serverUrl);
  const meter = cpuMeter(ctx.serverPid);
  await changes.run();
  const during = meter();
  const end = (await compactMap(ctx)).version;
  const shopped = await shopper.stop();
  const bytes = subs.bytesRead() - bytesBefore;
  const messages = subs.messages;
  const drainStart = performance.now();
  while (subs.behind(end) > 0 && performance.now() - drainStart < drainMs) await sleep(50);
  const drained = performance.now() - drainStart;
  const behind = subs.behind(end);
  const cpu = perSecondOf(meter(), during.seconds);
  loopDelay.disable();
  const rssAfter = processRssBytes(ctx.serverPid);
  const { delivery: d, wrongStatus } = subs.delivery(end);
  const ended = watching - subs.openCount();
  await changes.releaseRest();

  console.log(
    `  live, ${changes.rate().toFixed(1)} changes/s (${changes.made()} changes${notMade(changes.log)}) to ${fmtInt(watching)} streams: ${describeDelivery(d)}; ` +
      (behind === 0
        ? `every stream had the last change ${fmtMs(drained)} after the bench's last answer`
        : `${behind} streams still behind ${drainMs / 1000} s after the last change`) +
      `; delay p50 ${fmtDelay(d.p50)}, p99 ${fmtDelay(d.p99)}, max ${fmtDelay(d.max)}${d.early ? ` (${fmtInt(d.early)} arrived before the bench had its answer: counted as 0)` : ''}`,
  );
  console.log(`    p99 by second of the run: ${d.bySecond}`);
  console.log(
    `    while the changes ran ${describeCpu(during)}; per second of changes, delivery included, ${describeCpu(cpu)}; ` +
      `${fmtBytes(Math.round(bytes / during.seconds))}/s to the streams, ${(messages / watching / during.seconds).toFixed(1)} messages/s per stream (${fmtBytes(Math.round(bytes / Math.max(1, messages)))} each); ` +
      `whole maps ${subs.mapCount}, stale messages ${subs.stale}, wrong mine ${subs.wrongMine}, run seats shown wrong once caught up ${wrongStatus}, ` +
      `changes of other seats ${subs.otherSeats}, error events ${subs.errors}, streams ended ${ended}; ` +
      `bench event loop delay p99 ${fmtMs(loopDelay.percentile(99) / 1e6)}; server RSS after ${fmtMb(rssAfter)}`,
  );
  for (const seen of subs.wrongMineSeen) console.log(`    wrong mine: ${seen}`);
  console.log(`    a shopper's GET /trpc/health every 100 ms meanwhile: ${describeShopper(shopped)}`);
  return {
    rate: changes.rate(),
    watching,
    delivery: d,
    wrongMine: subs.wrongMine,
    wrongStatus,
    maps: subs.mapCount,
    ended,
    cpu,
    bytesPerSecond: bytes / during.seconds,
    messagesPerStream: messages / watching / during.seconds,
    bytesPerMessage: bytes / Math.max(1, messages),
    rssAfter,
    shopper: shopped,
  };
}

/**
 * The baseline: `viewers` pages each polling the compact seat map every 5 s (staggered evenly, so
 * viewers / 5 requests a second, sent on time whether or not earlier ones were answered), each with
 * the ETag of its last answer in If-None-Match, as the browser revalidates; keep-alive connections,
 * at most 256. With `changes`, they run meanwhile, and the polling goes on 5.5 s after them so every
 * viewer polls after every change: a change reaches a viewer with the answer to its first poll sent
 * after the change was answered (that poll reads the map after the commit). CPU, bytes and the
 * shopper's calls are counted while the changes run (without: while the polling runs).
 */
async function pollRun(ctx: BenchContext, viewers: number, seconds: number, changes: SeatChanges | null) {
  await settle(ctx.serverPid);
  await changes?.prime();
  const path = trpcPath('inventory.seatMapCompact', { eventId: ctx.fixture.eventId });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Map<net.Socket, number>();
  const socketBytes = () => [...sockets].reduce((sum, [socket, base]) => sum + socket.bytesRead - base, 0);
  // Every viewer starts with the map as it is now, as if it had loaded it within the last 5 s.
  const etag = (await ctx.api.request('GET', path)).headers.etag;
  const etags = Array.from({ length: viewers }, () => etag);
  const polls: Array<Array<{ sent: number; done: number }>> = Array.from({ length: viewers }, () => []);
  const statuses = new Tally();
  const encodings = new Tally();
  const latencies: number[] = [];
  /** Body bytes of the 200 answers, as sent (compressed). */
  let bodyBytes = 0;
  let answered = 0;
  const inFlight = new Set<Promise<void>>();

  const poll = (viewer: number) => {
    const sent = performance.now();
    const headers: Record<string, string> = { 'accept-encoding': BROWSER_ACCEPT_ENCODING };
    if (etags[viewer]) headers['if-none-match'] = etags[viewer];
    const done = new Promise<void>((resolve) => {
      const req = http.get(`${ctx.serverUrl}${path}`, { agent, headers }, (res) => {
        res.on('data', (chunk: Buffer) => {
          if (res.statusCode === 200) bodyBytes += chunk.length;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          answered++;
          statuses.add(status);
          if (status === 200) encodings.add(res.headers['content-encoding'] ?? 'none');
          if (typeof res.headers.etag === 'string') etags[viewer] = res.headers.etag;
          if (status === 200 || status === 304) polls[viewer]!.push({ sent, done: performance.now() });
          latencies.push(performance.now() - sent);
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
  const end = start + (changes ? seconds + POLL_EVERY_MS / 1000 + 0.5 : seconds) * 1000;
  const spacing = POLL_EVERY_MS / viewers;
  const polling = (async () => {
    for (let k = 0; start + k * spacing < end; k++) {
      const wait = start + k * spacing - performance.now();
      if (wait > 1) await sleep(wait);
      poll(k % viewers);
    }
  })();
  await (changes ? changes.run() : polling);
  const cpu = meter();
  const bytes = socketBytes();
  const answeredMeanwhile = answered;
  const shopped = await shopper.stop();
  await polling;
  await Promise.all([...inFlight]);
  agent.destroy();
  await changes?.releaseRest();

  const delays: number[] = [];
  for (const c of changes?.log ?? []) {
    if (!c.made) continue;
    for (const viewerPolls of polls) {
      const next = viewerPolls.find((p) => p.sent > c.at);
      delays.push(next ? next.done - c.at : Number.POSITIVE_INFINITY);
    }
  }
  const sorted = Float64Array.from(delays).sort();
  const lost = sorted.filter((d) => d === Number.POSITIVE_INFINITY).length;
  const delivery: Delivery = {
    expected: sorted.length,
    shown: sorted.length - lost,
    coalesced: 0,
    lost,
    early: 0,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.length > 0 ? sorted[sorted.length - 1]! : Number.NaN,
    bySecond: '',
  };
  const others = statuses.othersThan(200, 304);
  const answers =
    `${(answeredMeanwhile / cpu.seconds).toFixed(0)} answers/s meanwhile; in all 200: ${fmtInt(statuses.get(200))}, 304: ${fmtInt(statuses.get(304))}` +
    (others ? `, other: ${fmtInt(others)}` : '');
  const rate = changes ? changes.rate() : 0;
  console.log(
    `  polling${changes ? ` with ${rate.toFixed(0)} changes/s${notMade(changes.log)}` : ', nothing changing'}: ${fmtInt(latencies.length)} answers (${statuses.toString()}; encodings ${encodings.toString()}; ${statuses.get(200) ? fmtBytes(Math.round(bodyBytes / statuses.get(200))) : 'n/a'} per 200 answer), ` +
      `answer p50 ${fmtMs(quantile(latencies, 0.5))}, p99 ${fmtMs(quantile(latencies, 0.99))}; ${changes ? 'while the changes ran' : 'meanwhile'} ` +
      `${(answeredMeanwhile / cpu.seconds).toFixed(0)} answers/s, ${describeCpu(cpu)}, ${fmtBytes(Math.round(bytes / cpu.seconds))}/s` +
      (changes ? `; change to the next answer p50 ${fmtDelay(delivery.p50)}, p99 ${fmtDelay(delivery.p99)} (${describePolled(delivery)})` : ''),
  );
  console.log(`    a shopper's GET /trpc/health every 100 ms meanwhile: ${describeShopper(shopped)}`);
  return { cpu, rate, bytesPerSecond: bytes / cpu.seconds, answers, delivery, shopper: shopped };
}

interface ShopperProbe {
  latencies: number[];
  statuses: Tally;
}

/** A shopper's small API call (GET /trpc/health, shed like any call when the server is overloaded) every 100 ms on a connection of its own. */
function probeShopper(serverUrl: string): { stop(): Promise<ShopperProbe> } {
  const client = new HttpClient(serverUrl, { maxSockets: 1 });
  const result: ShopperProbe = { latencies: [], statuses: new Tally() };
  let running = true;
  const done = (async () => {
    while (running) {
      const res = await client.request('GET', '/trpc/health').catch(() => null);
      result.statuses.add(res?.status ?? 'error');
      if (res) result.latencies.push(res.ms);
      await sleep(Math.max(0, 100 - (res?.ms ?? 0)));
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      client.close();
      return result;
    },
  };
}

const describeShopper = (p: ShopperProbe) =>
  `${fmtMs(quantile(p.latencies, 0.5))} / ${fmtMs(quantile(p.latencies, 0.99))} (${p.latencies.length} calls, ${p.statuses.othersThan(200)} not 200)`;

/** The compact map as anyone may read it (asked uncompressed, to read it here); asked again while the server sheds load. */
async function compactMap(ctx: BenchContext): Promise<CompactSeatMap> {
  for (let attempt = 1; ; attempt++) {
    const res = await ctx.api.request('GET', trpcPath('inventory.seatMapCompact', { eventId: ctx.fixture.eventId }));
    if (res.status !== 503 || attempt === 100) return trpcData<CompactSeatMap>(res);
    await sleep(200);
  }
}

/** The event's free seats, shuffled. */
async function freeSeats(ctx: BenchContext): Promise<Seat[]> {
  const seats: Seat[] = [];
  for (const r of (await compactMap(ctx)).rows) {
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

/** Single-seat UPDATEs on the app's database, autocommit, from connections of the bench's own. */
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
    what: 'single-seat UPDATEs of "Ticket" in SQL (autocommit; the holder is one of the 50 buyers)',
    workers,
    holders: buyers.length,
    async change(holder, seat, to) {
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
    what: 'tickets.reserve / tickets.release of one seat over HTTP as one of the 50 buyers',
    workers: ctx.tokens.length,
    holders: ctx.tokens.length,
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

/** Waits until the server is quiet (under a tenth of a core over a second; at most three minutes), so no phase pays for the one before. How long that took. */
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

/** CPU used over `whole` (the load and the tail after it), spread over the load's own seconds. */
function perSecondOf(whole: CpuUse, loadSeconds: number): CpuUse {
  const scale = (n: number | null) => (n === null ? null : (n * whole.seconds) / loadSeconds);
  return { seconds: loadSeconds, server: scale(whole.server), postgres: scale(whole.postgres), bench: scale(whole.bench)! };
}

/** The q-th quantile of ascending `sorted` by nearest rank. */
const percentile = (sorted: Float64Array, q: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

const fmtCpu = (n: number | null) => (n === null ? 'n/a' : n.toFixed(2));
const describeCpu = (c: CpuUse) => `CPU-s/s: server ${fmtCpu(c.server)}, PostgreSQL ${fmtCpu(c.postgres)}, bench ${fmtCpu(c.bench)}`;
const fmtMb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);
const fmtDelay = (ms: number) => (ms === Number.POSITIVE_INFINITY ? 'never' : fmtMs(ms));
const describeDelivery = (d: Delivery) =>
  `${fmtInt(d.shown + d.coalesced)} delivered${d.coalesced ? ` (${fmtInt(d.coalesced)} coalesced)` : ''}, ${fmtInt(d.lost)} lost of ${fmtInt(d.expected)}`;
const describePolled = (d: Delivery) =>
  `${fmtInt(d.shown)} reached, ${fmtInt(d.lost)} not reached by a later answer (polls shed or unanswered) of ${fmtInt(d.expected)}`;
