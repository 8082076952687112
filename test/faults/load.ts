import crypto from 'node:crypto';
import { randomPair } from '../../bench/lib/fixture.js';
import { bearer, call, label, worthRetrying, type Answer } from './api.js';
import type { AppInstance } from './instance.js';
import { sleep } from './timeline.js';

export interface Buyer {
  id: string;
  email: string;
  token: string;
}

interface Seat {
  row: string;
  number: number;
}

interface PurchaseInput {
  eventId: string;
  seats: Seat[];
  idempotencyKey: string;
}

/** How a purchase (one idempotency key) ended. */
export type Outcome = 'sold' | 'refused' | 'gave up';

/** Everything the load saw; the integrity checks compare it with the database. */
export class Ledger {
  /** Purchases started: one fresh idempotency key each. */
  keys = 0;
  /** Every purchase attempt's answer: the HTTP status (with the reason of a 5xx), or why there was none. */
  statuses = new Map<string, number>();
  /** Final refusals (4xx), by status and reason (`409 SEATS_UNAVAILABLE`). */
  refusals = new Map<string, number>();
  /** Attempts after the first, with the same key. */
  retries = 0;
  /** key -> the order it was answered with (200); `retrySentAt`: when the attempt answered was sent, if not the first. */
  sales = new Map<string, { orderId: string; buyerId: string; seats: Seat[]; retrySentAt: number | null }>();
  outcomes = new Map<string, Outcome>();
  /** Keys whose every attempt failed (no answer or 5xx): their purchase may or may not have committed. */
  gaveUp: Array<{ key: string; buyerId: string; attempts: string[] }> = [];
  /** The same key sent again after its 200: each must answer the same order. */
  replays = 0;
  replaysUnanswered = 0;
  /** Broken promises seen over HTTP (must stay empty). */
  violations: string[] = [];

  count(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}

export interface LoadOptions {
  eventId: string;
  buyers: readonly Buyer[];
  instances: readonly AppInstance[];
  workers: number;
  /** No new purchase starts after this (Date.now()); those under way finish their retries. */
  until: number;
  maxAttempts: number;
  timeoutMs: number;
  /** Share of first-try sales that are replayed too (every retried sale is). */
  replaySample: number;
}

/** `workers` loops, each buying two adjacent random seats per key as one buyer, alternating instances. */
export async function runLoad(options: LoadOptions, ledger: Ledger): Promise<void> {
  const worker = async (index: number) => {
    const buyer = options.buyers[index % options.buyers.length]!;
    let turn = index;
    while (Date.now() < options.until) await purchase(options, ledger, buyer, turn++ % options.instances.length);
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
}

/** Backoff before attempt n (n >= 2): 100 ms doubling, at most 2 s; 7 retries span about 7 s, longer than a database restart. */
const backoffMs = (attempt: number) => Math.min(2000, 100 * 2 ** (attempt - 2));

async function purchase(options: LoadOptions, ledger: Ledger, buyer: Buyer, firstInstance: number): Promise<void> {
  const key = crypto.randomUUID();
  const { row, number } = randomPair();
  const seats = [
    { row, number },
    { row, number: number + 1 },
  ];
  const body: PurchaseInput = { eventId: options.eventId, seats, idempotencyKey: key };
  ledger.keys++;
  let instance = firstInstance;
  const attempts: string[] = [];
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (attempt > 1) {
      ledger.retries++;
      // The other instance: the one that failed may be dead, or its database connections may be.
      instance = (instance + 1) % options.instances.length;
      await sleep(backoffMs(attempt));
    }
    const sentAt = Date.now();
    const answer = await send(options, buyer, instance, body);
    const what = answer.kind === 'answered' && answer.status >= 500 && answer.reason ? `${answer.status} ${answer.reason}` : label(answer);
    ledger.count(ledger.statuses, what);
    if (worthRetrying(answer)) {
      attempts.push(`${options.instances[instance]!.name}: ${what}`);
      continue;
    }
    if (answer.kind === 'answered' && answer.status === 200) {
      record(ledger, key, buyer, seats, answer.data, attempt > 1 ? sentAt : null);
      if (attempt > 1 || Math.random() < options.replaySample)
        await replay(options, ledger, key, buyer, (instance + 1) % options.instances.length, body);
    } else {
      ledger.outcomes.set(key, 'refused');
      ledger.count(ledger.refusals, `${label(answer)} ${answer.kind === 'answered' ? (answer.reason ?? answer.message) : ''}`);
    }
    return;
  }
  ledger.outcomes.set(key, 'gave up');
  ledger.gaveUp.push({ key, buyerId: buyer.id, attempts });
}

function send(options: LoadOptions, buyer: Buyer, instance: number, body: PurchaseInput): Promise<Answer> {
  return call(options.instances[instance]!.url, 'tickets.purchase', { headers: bearer(buyer.token), body, timeoutMs: options.timeoutMs });
}

const seatList = (seats: readonly Seat[]) =>
  seats
    .map((s) => `${s.row}-${s.number}`)
    .sort()
    .join(',');

/** A 200: the order must carry exactly the seats asked for, and a key must never map to two orders. */
function record(ledger: Ledger, key: string, buyer: Buyer, seats: Seat[], data: any, retrySentAt: number | null = null): void {
  const orderId = typeof data?.id === 'string' ? (data.id as string) : null;
  const tickets: Seat[] = Array.isArray(data?.tickets) ? (data.tickets as Seat[]) : [];
  if (!orderId) {
    ledger.violations.push(`key ${key}: 200 without an order id`);
    return;
  }
  if (seatList(tickets) !== seatList(seats)) {
    ledger.violations.push(`key ${key}: asked for ${seatList(seats)}, order ${orderId} has ${seatList(tickets)}`);
  }
  const earlier = ledger.sales.get(key);
  if (earlier && earlier.orderId !== orderId) ledger.violations.push(`key ${key}: answered order ${earlier.orderId}, then order ${orderId}`);
  if (!earlier) ledger.sales.set(key, { orderId, buyerId: buyer.id, seats, retrySentAt });
  ledger.outcomes.set(key, 'sold');
}

/** Sends a sold key again, on the other instance: it must answer the same order, never a new one or a refusal. */
async function replay(options: LoadOptions, ledger: Ledger, key: string, buyer: Buyer, instance: number, body: PurchaseInput): Promise<void> {
  ledger.replays++;
  for (let attempt = 1; attempt <= 5; attempt++) {
    const answer = await send(options, buyer, (instance + attempt - 1) % options.instances.length, body);
    if (worthRetrying(answer)) {
      await sleep(backoffMs(attempt + 1));
      continue;
    }
    if (answer.kind === 'answered' && answer.status === 200) record(ledger, key, buyer, body.seats, answer.data);
    else ledger.violations.push(`key ${key}: sold, then its replay answered ${label(answer)} ${answer.kind === 'answered' ? answer.reason : ''}`);
    return;
  }
  ledger.replaysUnanswered++;
}
