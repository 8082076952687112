import type { Seat } from './api-types';

/**
 * The browser remembers what the seat map cannot say: when the visitor's holds expire, the seats
 * chosen before signing in, and the checkout in progress. Per tab (sessionStorage).
 */
export interface StoredHold {
  expiresAt: string;
  seats: Seat[];
}

export interface PendingCheckout {
  eventId: string;
  seats: Seat[];
  /** One key per purchase attempt: a retry or a double click sends the same key again. */
  idempotencyKey: string;
}

function read<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
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
const CHECKOUT_KEY = 'tessera.checkout';

export function loadHolds(eventId: string): StoredHold[] {
  return read<StoredHold[]>(holdsKey(eventId), []).filter((h) => Date.parse(h.expiresAt) > Date.now());
}

export function saveHolds(eventId: string, holds: StoredHold[]) {
  write(holdsKey(eventId), holds.length ? holds : null);
}

export function loadSelection(eventId: string): Seat[] {
  return read<Seat[]>(selectionKey(eventId), []);
}

export function saveSelection(eventId: string, seats: Seat[]) {
  write(selectionKey(eventId), seats.length ? seats : null);
}

export function loadCheckout(): PendingCheckout | null {
  return read<PendingCheckout | null>(CHECKOUT_KEY, null);
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
