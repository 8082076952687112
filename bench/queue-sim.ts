/**
 * Waiting-room simulation: `npx tsx bench/queue-sim.ts` (PGlite in memory), or on a fresh database
 * of the PostgreSQL server named by TEST_DATABASE_URL (dropped afterwards). See bench/README.md.
 *
 * 5,000 shoppers arrive over 60 s of simulated time at an on-sale with a waiting room admitting 300
 * a minute: the first 1,000 in the 20 s before the start (the draw), the rest in the 40 s after it.
 * The clock is simulated (every service that takes `now` gets it); the database and the services
 * are the real ones. Each simulated second the arrivals of that second join, then one admission
 * step runs (`admitNext`, as the app does every second); each shopper let in reads their pass from
 * `queueStatus` and, timed on the wall clock, goes through the gate, holds two seats, goes through
 * the gate again and buys them, exactly as the tickets router chains admit, reserve / purchase and
 * spendPass. Those purchases run QUEUE_SIM_BATCH (default 25) at a time.
 *
 * Checks (the run exits 1 if any fails): admission order (the draw before everyone else, then
 * arrival order exactly; the draw itself not in arrival order), the rate (at most 300 + 50 banked
 * in any 60 s, about 300 a minute on average while people wait), nobody reserves without a pass of
 * their own, a pass works for nobody else and not after its purchase, no seat sold twice.
 *
 * Knobs: QUEUE_SIM_SHOPPERS (5000), QUEUE_SIM_BATCH (25), QUEUE_SIM_SEED (random; printed, so a
 * run's arrivals can be replayed; the draw itself is the database's random()).
 */
import crypto from 'node:crypto';
import { PASS_MINUTES } from '../shared/queue.js';
import { rowName, type Seat } from '../shared/seats.js';
import { databaseDeps } from '../server/db/database.js';
import { signAdmissionPass } from '../server/lib/jwt.js';
import { AppError } from '../server/services/errors.js';
import { admit, admitNext, configureQueue, createWaitingRooms, joinQueue, queueStatus, spendPass } from '../server/services/queue/waiting-room.js';
import { purchaseSeats } from '../server/services/tickets/purchase-seats.js';
import { reserveSeats } from '../server/services/tickets/reserve-seats.js';
import { testConfig } from '../test/config.js';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { createEventWithSeats, inDays } from '../test/inventory-fixtures.js';
import { createUser } from '../test/users.js';
import { countSales, integrityProblems } from './lib/integrity.js';
import { cpuBusyPercent } from './lib/machine.js';
import { quantile } from './lib/stats.js';

const RATE_PER_MINUTE = 300;
/** tessera_queue_admit banks at most max(1, rate / 6) admissions: ten seconds' worth. */
const BANKED = Math.max(1, RATE_PER_MINUTE / 6);
const PRE_START_SECONDS = 20;
const POST_START_SECONDS = 40;
const SAMPLE = 200;
/** The simulated second (after the start) at which the gate is tried without valid passes. */
const GATE_CHECK_AT = 60;
const SEATS_PER_ROW = 100;

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not ${raw}`);
  return n;
}

const SHOPPERS = intEnv('QUEUE_SIM_SHOPPERS', 5000);
const BATCH = intEnv('QUEUE_SIM_BATCH', 25);
const SEED = intEnv('QUEUE_SIM_SEED', 1 + crypto.randomInt(2 ** 31 - 2));
const PRE_START = Math.round(SHOPPERS / 5);

/** mulberry32: a small seeded generator, so a run's arrivals can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const randomIndex = (n: number) => Math.floor(random() * n);
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = randomIndex(i + 1);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
function sample<T>(xs: readonly T[], n: number): T[] {
  return shuffle([...xs]).slice(0, n);
}

interface Arrival {
  /** 0-based position in arrival order. */
  index: number;
  userId: string;
  /** Milliseconds from the start (negative: before it). */
  atMs: number;
  preStart: boolean;
}

interface Admitted {
  userId: string;
  entryId: string;
  /** 0-based position in admission order; also picks the shopper's pair of seats. */
  order: number;
  pass: string;
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** The pair of seats of the k-th admitted shopper: 50 pairs a row, rows A..CV. */
const pairOf = (k: number): Seat[] => {
  const row = rowName(Math.floor(k / (SEATS_PER_ROW / 2)));
  const first = 2 * (k % (SEATS_PER_ROW / 2)) + 1;
  return [
    { row, number: first },
    { row, number: first + 1 },
  ];
};

/** Ms, 1 decimal below 100. */
const fmtMs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const fmtS = (s: number) => (Number.isNaN(s) ? 'n/a' : `${s.toFixed(s >= 100 ? 0 : 1)} s`);

async function simulate(db: TestDatabase): Promise<{ checks: Check[]; table: string }> {
  const wallStart = performance.now();
  const config = testConfig();
  const deps = { ...databaseDeps(db), config, waitingRooms: createWaitingRooms() };
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
  };

  // The event: a pair of seats for every shopper (rows A..CV of 100), and a canary row that only
  // refused attempts aim at (it must stay untouched).
  const pairRows = Math.ceil(SHOPPERS / (SEATS_PER_ROW / 2));
  const canaryRow = rowName(pairRows);
  const canary: Seat[] = [
    { row: canaryRow, number: 1 },
    { row: canaryRow, number: 2 },
  ];
  const { eventId } = await createEventWithSeats(db, {
    name: 'Waiting Room Simulation',
    startsAt: inDays(60),
    rows: [...Array.from({ length: pairRows }, (_, i): [string, number] => [rowName(i), SEATS_PER_ROW]), [canaryRow, 10]],
  });
  // The room starts 30 days ahead of real time: nothing that runs on the real clock reaches it.
  const start = new Date(Math.ceil((Date.now() + 30 * 86_400_000) / 1000) * 1000);
  const at = (ms: number) => new Date(start.getTime() + ms);
  const staff = await createUser({ db: db.prisma, config }, { role: 'STAFF', staffStatus: 'APPROVED' });
  await configureQueue(
    deps,
    { eventId, startsAt: start.toISOString(), ratePerMinute: RATE_PER_MINUTE },
    { userId: staff.id, meta: { ip: '127.0.0.1', userAgent: 'queue-sim' } },
  );

  // The shoppers, made straight in the database as the queue tests do, and their arrivals.
  const users = Array.from({ length: SHOPPERS }, (_, i) => ({
    id: crypto.randomUUID(),
    email: `queue-sim-${i}-${crypto.randomBytes(4).toString('hex')}@example.com`,
    name: `Shopper ${i}`,
    passwordHash: 'x',
  }));
  for (let i = 0; i < users.length; i += 1000) await db.prisma.user.createMany({ data: users.slice(i, i + 1000) });
  const ids = shuffle(users.map((u) => u.id));
  const preTimes = Array.from({ length: PRE_START }, () => -PRE_START_SECONDS * 1000 + randomIndex(PRE_START_SECONDS * 1000)).sort((a, b) => a - b);
  const postTimes = Array.from({ length: SHOPPERS - PRE_START }, () => 1 + randomIndex(POST_START_SECONDS * 1000)).sort((a, b) => a - b);
  const arrivals: Arrival[] = [...preTimes, ...postTimes].map((atMs, index) => ({ index, userId: ids[index]!, atMs, preStart: atMs < 0 }));
  const arrivalOf = new Map(arrivals.map((a) => [a.userId, a]));
  // Second t (relative to the start) takes the arrivals in (t - 1, t] s.
  const bySecond = new Map<number, Arrival[]>();
  for (const a of arrivals) {
    const second = Math.ceil(a.atMs / 1000) + 0;
    bySecond.set(second, [...(bySecond.get(second) ?? []), a]);
  }
  console.log(
    `  ${SHOPPERS} shoppers (${PRE_START} in the ${PRE_START_SECONDS} s before the start, ${SHOPPERS - PRE_START} in the ${POST_START_SECONDS} s after), ` +
      `${RATE_PER_MINUTE}/min, seed ${SEED}, purchases ${BATCH} at a time; fixture ready in ${((performance.now() - wallStart) / 1000).toFixed(1)} s`,
  );

  /** The seats of the event as one digest: any hold, sale or release changes it. */
  const seatDigest = async () =>
    (
      await db.query<{ h: string }>(
        `SELECT md5(string_agg("rowName" || ':' || "seatNumber" || ':' || status || ':' || coalesce("holdId"::text, '') || ':' ||
                                coalesce("heldById"::text, '') || ':' || coalesce("orderId"::text, ''), ',' ORDER BY "rowName", "seatNumber")) AS h
         FROM "Ticket" WHERE "eventId" = $1::uuid`,
        [eventId],
      )
    )[0]!.h;

  /**
   * What the router does for `tickets.reserve` with this pass, aimed at the canary seats: 'refused'
   * when the gate answers QUEUE_PASS_REQUIRED (nothing else runs); anything else is a failure (if the
   * gate lets it in, the hold is made, as the router would, and the canary check shows it).
   */
  async function tryWithPass(userId: string, pass: string | undefined, now: Date): Promise<{ outcome: string; message: string }> {
    try {
      await admit(deps, { eventId, viewer: { id: userId, staff: false }, pass }, now);
    } catch (error) {
      if (error instanceof AppError) return { outcome: error.reason === 'QUEUE_PASS_REQUIRED' ? 'refused' : error.reason, message: error.message };
      return { outcome: 'error', message: (error as Error).message };
    }
    try {
      await reserveSeats(deps, { userId, eventId, seats: canary, holdMinutes: config.holdMinutes, staff: false });
    } catch {
      // A conflict on the canary still means the gate let the call through.
    }
    return { outcome: 'LET IN', message: '' };
  }

  /** The router's chain for a shopper with a pass: gate, hold, spend to SHOPPING, gate, buy, spend to DONE. Real ms. */
  async function shop(shopper: Admitted, now: Date): Promise<number> {
    const seats = pairOf(shopper.order);
    const viewer = { id: shopper.userId, staff: false };
    const began = performance.now();
    const entry = await admit(deps, { eventId, viewer, pass: shopper.pass }, now);
    await reserveSeats(deps, { userId: shopper.userId, eventId, seats, holdMinutes: config.holdMinutes, staff: false });
    await spendPass(deps, entry, 'SHOPPING', now);
    const again = await admit(deps, { eventId, viewer, pass: shopper.pass }, now);
    await purchaseSeats(deps, { userId: shopper.userId, eventId, seats, idempotencyKey: crypto.randomUUID(), staff: false });
    await spendPass(deps, again, 'DONE', now);
    return performance.now() - began;
  }

  const joinMs: number[] = [];
  const joinAnswerWrong: string[] = [];
  const admittedAtStep: Array<{ second: number; admitted: number }> = [];
  const admittedList: Admitted[] = [];
  const purchaseMs: number[] = [];
  const purchaseErrors: string[] = [];
  const reuse: Record<string, number> = {};
  const sharing: Record<string, number> = {};
  const shareSample = new Set(sample([...Array(SHOPPERS).keys()], SAMPLE));
  /** Filled by the gate check at GATE_CHECK_AT. */
  const gateCheck: { tally: Record<string, number> | null; shoppers: number; seatsSame: boolean } = { tally: null, shoppers: 0, seatsSame: false };
  let pending: Admitted[] = [];
  const bump = (tally: Record<string, number>, key: string) => (tally[key] = (tally[key] ?? 0) + 1);

  async function runBatch(now: Date) {
    const batch = pending;
    pending = [];
    // Passes are never shared: before the owner uses it, another account tries it.
    for (const shopper of batch.filter((s) => shareSample.has(s.order))) {
      let other = arrivals[randomIndex(SHOPPERS)]!.userId;
      while (other === shopper.userId) other = arrivals[randomIndex(SHOPPERS)]!.userId;
      const { outcome } = await tryWithPass(other, shopper.pass, now);
      bump(sharing, outcome);
    }
    const results = await Promise.allSettled(batch.map((s) => shop(s, now)));
    for (const [i, r] of results.entries()) {
      if (r.status === 'fulfilled') purchaseMs.push(r.value);
      else purchaseErrors.push(`${batch[i]!.userId}: ${(r.reason as Error).message}`);
    }
    // Never reused: the spent pass tries again.
    for (const s of batch) {
      const { outcome, message } = await tryWithPass(s.userId, s.pass, now);
      bump(reuse, outcome === 'refused' && /spent/.test(message) ? 'refused (spent)' : outcome);
    }
  }

  async function tryGateWithoutValidPasses(now: Date) {
    const waiting = await db.prisma.queueEntry.findMany({ where: { eventId, state: 'WAITING' }, select: { id: true, userId: true } });
    const someonesPass = admittedList[admittedList.length - 1];
    const expiresAt = new Date(now.getTime() + PASS_MINUTES * 60_000);
    const before = await seatDigest();
    const tally: Record<string, number> = {};
    const tried = sample(waiting, SAMPLE);
    gateCheck.shoppers = tried.length;
    for (const entry of tried) {
      const claims = { sub: entry.userId, ev: eventId, jti: entry.id };
      const attempts: Array<[string, string | undefined]> = [
        ['no pass', undefined],
        ['forged (another key)', signAdmissionPass('not-the-server-secret-not-the-server-secret', claims, expiresAt)],
        // As if the key leaked: a well-signed pass for the shopper's own entry, which is still waiting.
        ['well signed, own waiting entry', signAdmissionPass(config.jwtSecret, claims, expiresAt)],
      ];
      if (someonesPass) {
        attempts.push(['another account’s pass', someonesPass.pass]);
        const [header, payload, signature] = someonesPass.pass.split('.');
        const claimsOf = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
        const edited = Buffer.from(JSON.stringify({ ...claimsOf, sub: entry.userId })).toString('base64url');
        attempts.push(['another’s pass, renamed', `${header}.${edited}.${signature}`]);
      }
      for (const [kind, pass] of attempts) {
        const { outcome } = await tryWithPass(entry.userId, pass, now);
        bump(tally, `${kind}: ${outcome}`);
      }
    }
    gateCheck.tally = tally;
    gateCheck.seatsSame = (await seatDigest()) === before;
  }

  // The clock: one simulated second a step, from the first arrival to the last purchase.
  const firstSecond = -PRE_START_SECONDS;
  const lastSecond = POST_START_SECONDS + Math.ceil((SHOPPERS * 60) / RATE_PER_MINUTE) + 120;
  for (let second = firstSecond; second <= lastSecond; second++) {
    for (const a of bySecond.get(second) ?? []) {
      const began = performance.now();
      const status = await joinQueue(deps, { eventId, userId: a.userId, staff: false }, at(a.atMs));
      joinMs.push(performance.now() - began);
      const expected = a.preStart ? 'draw' : 'waiting';
      if (status.state !== expected) joinAnswerWrong.push(`${a.index}: ${status.state}, expected ${expected}`);
    }
    const now = at(second * 1000);
    const admittedNow = await admitNext(deps, now);
    admittedAtStep.push({ second, admitted: admittedNow });
    if (admittedNow > 0) {
      const entries = await db.prisma.queueEntry.findMany({
        where: { eventId, admittedAt: now },
        orderBy: { place: 'asc' },
        select: { id: true, userId: true },
      });
      for (const entry of entries) {
        const status = await queueStatus(deps, { eventId, userId: entry.userId, staff: false }, now);
        if (status.state !== 'admitted' || !status.pass) {
          purchaseErrors.push(`${entry.userId}: status ${status.state} right after admission`);
          continue;
        }
        const shopper = { userId: entry.userId, entryId: entry.id, order: admittedList.length, pass: status.pass.token };
        admittedList.push(shopper);
        pending.push(shopper);
      }
    }
    if (second === GATE_CHECK_AT) await tryGateWithoutValidPasses(now);
    const everyoneIn = admittedList.length >= SHOPPERS;
    if (pending.length >= BATCH || (everyoneIn && pending.length > 0)) await runBatch(now);
    if (second > 0 && second % 100 === 0) {
      console.log(
        `  t = ${second} s: ${admittedList.length} admitted, ${purchaseMs.length} bought, wall ${((performance.now() - wallStart) / 1000).toFixed(0)} s`,
      );
    }
    if (everyoneIn && second >= POST_START_SECONDS && pending.length === 0) break;
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;

  // (1) Admission order, from the database.
  const entries = await db.prisma.queueEntry.findMany({
    where: { eventId },
    orderBy: [{ admittedAt: 'asc' }, { place: 'asc' }],
    select: { userId: true, state: true, joinedAt: true, admittedAt: true },
  });
  const admittedEntries = entries.filter((e) => e.admittedAt);
  const order = admittedEntries.map((e) => arrivalOf.get(e.userId)!);
  const pre = order.slice(0, PRE_START);
  const post = order.slice(PRE_START);
  const preFirst = pre.every((a) => a.preStart) && post.every((a) => !a.preStart) && order.length === SHOPPERS;
  const postInOrder = post.every((a, i) => a.index === PRE_START + i);
  let concordant = 0;
  let pairs = 0;
  for (let i = 0; i < pre.length; i++) {
    for (let j = i + 1; j < pre.length; j++) {
      pairs++;
      if (pre[i]!.index < pre[j]!.index) concordant++;
    }
  }
  const inOrderShare = pairs ? concordant / pairs : Number.NaN;
  const tau = 2 * inOrderShare - 1;
  // Under a uniform draw the share of pairs in order is 0.5 with this standard deviation; allow 5 of them.
  const n = pre.length;
  const sd = Math.sqrt((2 * n + 5) / (18 * n * (n - 1)));
  const preIdentical = pre.every((a, i) => a.index === i);
  check(
    '1. admission order',
    preFirst && postInOrder && !preIdentical && Math.abs(inOrderShare - 0.5) <= 5 * sd && joinAnswerWrong.length === 0,
    `${order.length}/${SHOPPERS} admitted; all ${PRE_START} pre-start arrivals before every post-start one: ${preFirst}; ` +
      `post-start in arrival order exactly: ${postInOrder}; pre-start pairs in arrival order ${(100 * inOrderShare).toFixed(1)}% ` +
      `(Kendall tau ${tau.toFixed(3)}; a uniform draw gives 50% ± ${(100 * sd).toFixed(1)}%), identical to arrival order: ${preIdentical}; ` +
      `join answers not draw/waiting as expected: ${joinAnswerWrong.length}${joinAnswerWrong.length ? ` (${joinAnswerWrong.slice(0, 3).join('; ')})` : ''}`,
  );

  // (2) The rate: any 60 s window, and on average from the start to the last admission.
  const perSecond = new Map(admittedAtStep.map((s) => [s.second, s.admitted]));
  let worstWindow = 0;
  let worstWindowEnd = 0;
  for (const { second } of admittedAtStep) {
    let sum = 0;
    for (let s = second - 59; s <= second; s++) sum += perSecond.get(s) ?? 0;
    if (sum > worstWindow) [worstWindow, worstWindowEnd] = [sum, second];
  }
  const lastAdmission = Math.max(...admittedAtStep.filter((s) => s.admitted > 0).map((s) => s.second));
  const averagePerMinute = (admittedEntries.length * 60) / lastAdmission;
  const beforeStart = admittedAtStep.filter((s) => s.second < 0).reduce((a, s) => a + s.admitted, 0);
  const minutes = Array.from({ length: Math.ceil(lastAdmission / 60) }, (_, m) =>
    admittedAtStep.filter((s) => s.second > m * 60 && s.second <= (m + 1) * 60).reduce((a, s) => a + s.admitted, 0),
  );
  check(
    '2. admission rate',
    worstWindow <= RATE_PER_MINUTE + BANKED && Math.abs(averagePerMinute - RATE_PER_MINUTE) <= 0.03 * RATE_PER_MINUTE && beforeStart === 0,
    `busiest 60 s window ${worstWindow} (ending at t = ${worstWindowEnd} s; limit ${RATE_PER_MINUTE} + ${BANKED} banked); ` +
      `average ${averagePerMinute.toFixed(1)}/min from the start to the last admission at t = ${lastAdmission} s; ` +
      `per minute ${Math.min(...minutes)}..${Math.max(...minutes)} (last minute partial: ${minutes[minutes.length - 1]}); admitted before the start: ${beforeStart}`,
  );

  // (3) Nobody reserves without a pass of their own.
  const gate = gateCheck.tally ?? {};
  const gateAttempts = Object.values(gate).reduce((a, b) => a + b, 0);
  const gateLetIn = Object.entries(gate).filter(([k]) => !k.endsWith(': refused'));
  check(
    '3. no reserve without a pass',
    gateCheck.tally !== null && gateAttempts > 0 && gateLetIn.length === 0 && gateCheck.seatsSame,
    `${gateAttempts} attempts by ${gateCheck.shoppers} waiting shoppers at t = ${GATE_CHECK_AT} s ` +
      `(${Object.entries(gate)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}); seats unchanged: ${gateCheck.seatsSame}`,
  );

  // (4) Never shared, (5) never reused.
  const sharingTries = Object.values(sharing).reduce((a, b) => a + b, 0);
  check(
    '4. passes never shared',
    sharingTries === Math.min(SAMPLE, SHOPPERS) && (sharing.refused ?? 0) === sharingTries,
    `${sharingTries} admitted shoppers' passes tried by another account before their owner used them: ${JSON.stringify(sharing)}`,
  );
  const reuseTries = Object.values(reuse).reduce((a, b) => a + b, 0);
  check(
    '5. passes never reused',
    reuseTries === SHOPPERS && (reuse['refused (spent)'] ?? 0) === reuseTries,
    `${reuseTries} spent passes tried again for a hold: ${JSON.stringify(reuse)}`,
  );

  // (6) No seat sold twice; every shopper bought one pair; the canary row untouched; every pass spent.
  const counts = await countSales(db, eventId);
  const problems = integrityProblems(counts, { orders: purchaseMs.length });
  const [canaryState] = await db.query<{ touched: number }>(
    `SELECT count(*)::int AS touched FROM "Ticket" WHERE "eventId" = $1::uuid AND "rowName" = $2 AND (status <> 'AVAILABLE' OR "holdId" IS NOT NULL OR "heldById" IS NOT NULL)`,
    [eventId, canaryRow],
  );
  const states: Record<string, number> = {};
  for (const e of entries) bump(states, e.state);
  check(
    '6. no seat sold twice',
    problems.length === 0 &&
      purchaseErrors.length === 0 &&
      purchaseMs.length === SHOPPERS &&
      counts.sold === 2 * SHOPPERS &&
      canaryState!.touched === 0 &&
      states.DONE === SHOPPERS,
    `${purchaseMs.length} purchases, ${purchaseErrors.length} failed${purchaseErrors.length ? ` (${purchaseErrors.slice(0, 3).join('; ')})` : ''}; ` +
      `${counts.sold} seats SOLD, ${counts.issued} tickets issued, ${counts.orders} orders; ${problems.length ? problems.join('; ') : 'no violations'}; ` +
      `canary seats touched: ${canaryState!.touched}; queue entries ${JSON.stringify(states)}`,
  );

  // Waits in simulated seconds, from the database's own times.
  const waitOf = (e: (typeof admittedEntries)[number]) => (e.admittedAt!.getTime() - e.joinedAt.getTime()) / 1000;
  const preWaits = admittedEntries.filter((e) => arrivalOf.get(e.userId)!.preStart).map(waitOf);
  const postWaits = admittedEntries.filter((e) => !arrivalOf.get(e.userId)!.preStart).map(waitOf);
  const joinedRight = admittedEntries.every((e) => e.joinedAt.getTime() === at(arrivalOf.get(e.userId)!.atMs).getTime());
  if (!joinedRight) check('joined at the arrival time', false, 'a QueueEntry.joinedAt differs from the simulated arrival');
  const p = (xs: number[], f: (x: number) => string) => `${f(quantile(xs, 0.5))} / ${f(quantile(xs, 0.99))}`;
  const table = [
    '| database | queue wait p50 / p99, pre-start arrivals | queue wait p50 / p99, post-start arrivals | purchase p50 / p99, once admitted | join p50 / p99 | wall time |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${db.label} | ${p(preWaits, fmtS)} | ${p(postWaits, fmtS)} | ${p(purchaseMs, fmtMs)} | ${p(joinMs, fmtMs)} | ${wallSeconds.toFixed(0)} s |`,
  ].join('\n');
  return { checks, table };
}

const busyBefore = await cpuBusyPercent();
const db = await createTestDatabase();
let failed = true;
const stop = () => {
  void db.close().finally(() => process.exit(130));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
try {
  console.log(
    `\n== waiting room simulation on ${db.label}${db.url ? ` (${new URL(db.url).pathname.slice(1)}, dropped afterwards)` : ' (in memory)'}`,
  );
  const { checks, table } = await simulate(db);
  const busyAfter = await cpuBusyPercent();
  const busy = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(0)}%`);
  console.log(`\n${table}\n`);
  console.log(`  CPU busy in the second before: ${busy(busyBefore)}, after: ${busy(busyAfter)}; Node ${process.version}`);
  failed = checks.some((c) => !c.ok);
  console.log(failed ? `  FAILED: ${checks.filter((c) => !c.ok).length} of ${checks.length} checks` : `  all ${checks.length} checks passed`);
} catch (error) {
  console.error(error);
} finally {
  await db.close();
}
process.exit(failed ? 1 : 0);
