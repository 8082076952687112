import { z } from 'zod';
import type { Seat } from './seats';

/**
 * The browser remembers what the seat map cannot say: when the visitor's holds expire, the seats
 * chosen before signing in, the presale code they unlocked seats with, and the checkout in
 * progress. Per tab (sessionStorage).
 */
const seats = z.array(z.object({ row: z.string(), number: z.number() }));
const storedHolds = z.array(z.object({ expiresAt: z.string(), seats }));
const pendingCheckout = z.object({
  eventId: z.string(),
  seats,
  /** One key per purchase attempt: a retry or a double click sends the same key again. */
  idempotencyKey: z.string(),
  /** The presale code the held seats need: the purchase must carry it (it is also the order's code). */
  code: z.string().optional(),
});
/** A presale code that unlocked hidden tiers of an event (vouchers.unlock's answer). */
const storedPresale = z.object({ code: z.string(), tierIds: z.array(z.string()) });

export type StoredHold = z.output<typeof storedHolds>[number];
export type PendingCheckout = z.output<typeof pendingCheckout>;
export type StoredPresale = z.output<typeof storedPresale>;

/** What was stored under `key`, if it still has the shape it was stored with (another version may have written it). */
function read<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    const parsed = raw ? schema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private modes may refuse storage; the page still works without it.
  }
}

export const holdsKey = (eventId: string) => `tessera.holds.${eventId}`;
export const selectionKey = (eventId: string) => `tessera.selection.${eventId}`;
export const presaleKey = (eventId: string) => `tessera.presale.${eventId}`;
const CHECKOUT_KEY = 'tessera.checkout';

export function loadHolds(eventId: string): StoredHold[] {
  return read(holdsKey(eventId), storedHolds, []).filter((h) => Date.parse(h.expiresAt) > Date.now());
}

export function saveHolds(eventId: string, holds: StoredHold[]) {
  write(holdsKey(eventId), holds.length ? holds : null);
}

export function loadSelection(eventId: string): Seat[] {
  return read(selectionKey(eventId), seats, []);
}

export function saveSelection(eventId: string, seats: Seat[]) {
  write(selectionKey(eventId), seats.length ? seats : null);
}

export function loadPresale(eventId: string): StoredPresale | null {
  return read(presaleKey(eventId), storedPresale.nullable(), null);
}

export function savePresale(eventId: string, presale: StoredPresale | null) {
  write(presaleKey(eventId), presale);
}

export function loadCheckout(): PendingCheckout | null {
  return read(CHECKOUT_KEY, pendingCheckout.nullable(), null);
}

export function saveCheckout(checkout: PendingCheckout | null) {
  write(CHECKOUT_KEY, checkout);
}

/** A random key; crypto.randomUUID exists only on secure origins, getRandomValues everywhere. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
