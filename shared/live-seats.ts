import { z } from 'zod';
import { admissionPassSchema } from './queue.js';
import type { CompactSeatMap } from './seat-map.js';

/**
 * `inventory.seatChanges`: an event's seat changes as server-sent events (a tRPC subscription).
 * Every message carries the map's version after it (the `version` of `inventory.seatMapCompact`,
 * a decimal integer that only grows) and is sent with that version as its event id, so the client
 * link resumes from it by itself after a dropped connection.
 *
 * `lastEventId`: the version of the map the caller already has (from `inventory.seatMapCompact`
 * or from an earlier message). The server answers with the seats that changed since, or with the
 * whole map when it cannot say exactly what changed (too long ago, or never given).
 */
export const seatChangesInput = z.object({
  eventId: z.uuid(),
  lastEventId: z
    .string()
    .regex(/^\d{1,30}$/, 'A seat map version is a whole number.')
    .nullish(),
  /** The caller's admission pass, when the event sells through a waiting room (shared/queue.ts). */
  pass: admissionPassSchema.optional(),
});

/** One seat's new state: A(vailable), R(eserved) or S(old), as in the compact map's status letters. */
export interface SeatChange {
  row: string;
  number: number;
  status: 'A' | 'R' | 'S';
  /** The caller holds or bought this seat. */
  mine: boolean;
}

export type SeatChangesMessage =
  | { kind: 'changes'; eventId: string; version: string; changes: SeatChange[] }
  /** The whole map (the caller's seats in `mine`): replaces what the client has. */
  | { kind: 'map'; eventId: string; version: string; map: CompactSeatMap };

/** How far apart two seat map versions are in order: negative when `a` is older than `b`. */
export function compareVersions(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Applies a message to the compact map the client holds; null when the message is older than the
 * map or for another event (nothing to do). Rows and tiers are shared with the old map where unchanged.
 */
export function applySeatChanges(map: CompactSeatMap, message: SeatChangesMessage): CompactSeatMap | null {
  if (message.eventId !== map.eventId || compareVersions(message.version, map.version) <= 0) return null;
  if (message.kind === 'map') return message.map;
  const byRow = new Map<string, SeatChange[]>();
  for (const change of message.changes) byRow.set(change.row, [...(byRow.get(change.row) ?? []), change]);
  const mine = new Map(map.mine.map((seat) => [`${seat.row}\u0000${seat.number}`, seat]));
  const rows = map.rows.map((row) => {
    const changes = byRow.get(row.name);
    if (!changes) return row;
    const status = row.status.split('');
    for (const change of changes) {
      const index = row.first === null ? (row.numbers ?? []).indexOf(change.number) : change.number - row.first;
      if (index < 0 || index >= status.length) continue;
      status[index] = change.status;
      const key = `${change.row}\u0000${change.number}`;
      if (change.mine) mine.set(key, { row: change.row, number: change.number });
      else mine.delete(key);
    }
    return { ...row, status: status.join('') };
  });
  return { ...map, version: message.version, rows, mine: [...mine.values()] };
}
