import { useMemo, useSyncExternalStore } from 'react';
import { z } from 'zod';

/**
 * The admission pass of an event's waiting room, as this tab holds it. The event page sends it with
 * the seat map, its live updates and holds; the checkout sends it with the purchase. Kept per event
 * in sessionStorage, so a reload within the pass's window keeps the visitor in; another tab gets
 * the same pass by joining (the server answers the same place from every tab).
 *
 * A small store rather than React state: the event page and the checkout are different routes, and
 * both must drop the pass the moment the server refuses it.
 */
const storedPass = z.object({ token: z.string().min(1), useBy: z.string(), expiresAt: z.string() });
export type QueuePass = z.output<typeof storedPass>;

export const queuePassKey = (eventId: string) => `tessera.queue-pass.${eventId}`;

const listeners = new Set<() => void>();
/** Where passes live when the browser refuses storage (some private modes): as long as the page. */
const unstored = new Map<string, string | null>();

/** The stored text itself: a string compares by value, so React sees a change only when there is one. */
function readRaw(eventId: string): string | null {
  const key = queuePassKey(eventId);
  if (unstored.has(key)) return unstored.get(key) ?? null;
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

/** The pass in `raw`, if it has the shape it was stored with and has not run out. */
function parse(raw: string | null): QueuePass | null {
  if (!raw) return null;
  try {
    const parsed = storedPass.safeParse(JSON.parse(raw));
    return parsed.success && Date.parse(parsed.data.expiresAt) > Date.now() ? parsed.data : null;
  } catch {
    return null;
  }
}

export function loadQueuePass(eventId: string): QueuePass | null {
  return parse(readRaw(eventId));
}

/**
 * Keeps `pass` for the event (null forgets it). The status stream signs the same pass afresh each
 * time it speaks; a token for the same window is kept as it was, so the seat map (whose query and
 * live stream carry the token) is not fetched and reopened for nothing.
 */
export function saveQueuePass(eventId: string, pass: QueuePass | null) {
  const current = loadQueuePass(eventId);
  if (pass && current && current.useBy === pass.useBy && current.expiresAt === pass.expiresAt) return;
  if (!pass && !readRaw(eventId)) return;
  const key = queuePassKey(eventId);
  const raw = pass ? JSON.stringify({ token: pass.token, useBy: pass.useBy, expiresAt: pass.expiresAt }) : null;
  try {
    if (raw) sessionStorage.setItem(key, raw);
    else sessionStorage.removeItem(key);
    unstored.delete(key);
  } catch {
    unstored.set(key, raw);
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The event's pass in this tab, or null; re-renders when it is saved or dropped. */
export function useQueuePass(eventId: string): QueuePass | null {
  const raw = useSyncExternalStore(
    subscribe,
    () => readRaw(eventId),
    () => null,
  );
  return useMemo(() => parse(raw), [raw]);
}
