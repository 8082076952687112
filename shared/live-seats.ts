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

/**
 * One row's changed seats on the wire: the row name, then each seat as its number followed by its
 * new status letter, A(vailable), R(eserved) or S(old), in lower case (r, s) when the seat is the
 * caller's: `["C-AB", "12R13r40A"]`. A message names a few hundred seats at most a second, and
 * every open seat map gets it, so it is kept to a few bytes a seat (about a tenth of the same
 * changes as objects); the server writes the same text for every viewer who owns none of them.
 */
export type RowChanges = [row: string, seats: string];

export type SeatChangesMessage =
  | { kind: 'changes'; eventId: string; version: string; rows: RowChanges[] }
  /** The whole map (the caller's seats in `mine`): replaces what the client has. */
  | { kind: 'map'; eventId: string; version: string; map: CompactSeatMap };

const STATUS_LETTERS: Record<string, { status: SeatChange['status']; mine: boolean }> = {
  A: { status: 'A', mine: false },
  R: { status: 'R', mine: false },
  S: { status: 'S', mine: false },
  r: { status: 'R', mine: true },
  s: { status: 'S', mine: true },
};

/** The letter of one seat's change on the wire (see RowChanges). */
export function changeLetter(status: SeatChange['status'], mine: boolean): string {
  return mine && status !== 'A' ? status.toLowerCase() : status;
}

/** The seat changes a `changes` message carries, one object per seat, in the order sent. */
export function seatChangesOf(rows: RowChanges[]): SeatChange[] {
  const changes: SeatChange[] = [];
  for (const [row, seats] of rows) {
    for (const match of seats.matchAll(/(\d+)([ARSrs])/g)) {
      const letter = STATUS_LETTERS[match[2]!]!;
      changes.push({ row, number: Number(match[1]), status: letter.status, mine: letter.mine });
    }
  }
  return changes;
}

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
  for (const change of seatChangesOf(message.rows)) byRow.set(change.row, [...(byRow.get(change.row) ?? []), change]);
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
