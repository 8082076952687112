import { seatKey } from '../../../../shared/seats';
import type { RouterOutputs } from '../../trpc';

/** The seat map as `inventory.seatMap` answers it (the page expands the compact form into this). */
export type SeatMapData = RouterOutputs['inventory']['seatMap'];
export type Tier = SeatMapData['tiers'][number];
type SeatStatus = SeatMapData['rows'][number]['seats'][number]['status'];

/** World units: one seat pitch is 1. Rows are centred under a stage band at the top. */
export const GUTTER = 2.2;
export const STAGE_HEIGHT = 1.6;
export const FIRST_ROW_Y = 3;
export const SEAT_SIZE = 0.84;

export interface LaidSeat {
  row: string;
  rowIndex: number;
  index: number;
  number: number;
  status: SeatStatus;
  tierId: string;
  mine: boolean;
}

export interface LaidRow {
  name: string;
  y: number;
  startX: number;
  seats: LaidSeat[];
}

export interface SeatLayout {
  rows: LaidRow[];
  width: number;
  height: number;
  total: number;
  byKey: Map<string, LaidSeat>;
}

export function layoutSeats(map: SeatMapData): SeatLayout {
  const maxLen = map.rows.reduce((m, r) => Math.max(m, r.seats.length), 0);
  const byKey = new Map<string, LaidSeat>();
  let total = 0;
  const rows = map.rows.map((row, rowIndex) => {
    const seats = [...row.seats]
      .sort((a, b) => a.number - b.number)
      .map((seat, index) => {
        const laid: LaidSeat = { row: row.name, rowIndex, index, number: seat.number, status: seat.status, tierId: seat.tierId, mine: seat.mine };
        byKey.set(seatKey(laid), laid);
        return laid;
      });
    total += seats.length;
    return { name: row.name, y: FIRST_ROW_Y + rowIndex, startX: GUTTER + (maxLen - seats.length) / 2, seats };
  });
  return { rows, width: maxLen + GUTTER * 2, height: FIRST_ROW_Y + rows.length + 0.5, total, byKey };
}

/** A seat the visitor may press to choose or unchoose: free, or already in the selection; never their own. */
export function isChoosable(seat: LaidSeat, selected: ReadonlySet<string>): boolean {
  return !seat.mine && (seat.status === 'AVAILABLE' || selected.has(seatKey(seat)));
}

/** Rows and index ranges inside a world rectangle, for drawing and for the accessible overlay. */
export function* seatsIn(layout: SeatLayout, x0: number, y0: number, x1: number, y1: number): Generator<LaidSeat> {
  const r0 = Math.max(0, Math.floor(y0 - FIRST_ROW_Y));
  const r1 = Math.min(layout.rows.length - 1, Math.floor(y1 - FIRST_ROW_Y));
  for (let r = r0; r <= r1; r++) {
    const row = layout.rows[r]!;
    const i0 = Math.max(0, Math.floor(x0 - row.startX));
    const i1 = Math.min(row.seats.length - 1, Math.floor(x1 - row.startX));
    for (let i = i0; i <= i1; i++) yield row.seats[i]!;
  }
}

export function countSeatsIn(layout: SeatLayout, x0: number, y0: number, x1: number, y1: number): number {
  const r0 = Math.max(0, Math.floor(y0 - FIRST_ROW_Y));
  const r1 = Math.min(layout.rows.length - 1, Math.floor(y1 - FIRST_ROW_Y));
  let count = 0;
  for (let r = r0; r <= r1; r++) {
    const row = layout.rows[r]!;
    const i0 = Math.max(0, Math.floor(x0 - row.startX));
    const i1 = Math.min(row.seats.length - 1, Math.floor(x1 - row.startX));
    if (i1 >= i0) count += i1 - i0 + 1;
  }
  return count;
}

/** The seat a key press moves to: along the row, or to the nearest seat of the next row. */
export function neighbour(layout: SeatLayout, seat: LaidSeat, key: string): LaidSeat | null {
  const row = layout.rows[seat.rowIndex]!;
  switch (key) {
    case 'ArrowLeft':
      return row.seats[seat.index - 1] ?? null;
    case 'ArrowRight':
      return row.seats[seat.index + 1] ?? null;
    case 'Home':
      return row.seats[0] ?? null;
    case 'End':
      return row.seats[row.seats.length - 1] ?? null;
    case 'ArrowUp':
    case 'ArrowDown': {
      const target = layout.rows[seat.rowIndex + (key === 'ArrowUp' ? -1 : 1)];
      if (!target || target.seats.length === 0) return null;
      const x = row.startX + seat.index;
      const index = Math.min(target.seats.length - 1, Math.max(0, Math.round(x - target.startX)));
      return target.seats[index]!;
    }
    case 'PageUp':
    case 'PageDown': {
      const step = key === 'PageUp' ? -10 : 10;
      const target = layout.rows[Math.min(layout.rows.length - 1, Math.max(0, seat.rowIndex + step))];
      if (!target || target.seats.length === 0) return null;
      const x = row.startX + seat.index;
      return target.seats[Math.min(target.seats.length - 1, Math.max(0, Math.round(x - target.startX)))]!;
    }
    default:
      return null;
  }
}

/**
 * The seat a finger meant: of the choosable seats whose centres lie within `radius` (world units)
 * of the point, the nearest one; null when there is none. A tap in the gap between seats, or a
 * finger wider than a seat, still picks the seat it is over or next to.
 */
export function nearestChoosableSeat(layout: SeatLayout, wx: number, wy: number, radius: number, selected: ReadonlySet<string>): LaidSeat | null {
  let best: LaidSeat | null = null;
  let bestDistance = radius;
  const r0 = Math.max(0, Math.floor(wy - FIRST_ROW_Y - radius));
  const r1 = Math.min(layout.rows.length - 1, Math.floor(wy - FIRST_ROW_Y + radius));
  for (let r = r0; r <= r1; r++) {
    const row = layout.rows[r]!;
    const cy = FIRST_ROW_Y + r + 0.5;
    const i0 = Math.max(0, Math.floor(wx - row.startX - radius));
    const i1 = Math.min(row.seats.length - 1, Math.floor(wx - row.startX + radius));
    for (let i = i0; i <= i1; i++) {
      const seat = row.seats[i]!;
      const distance = Math.hypot(row.startX + i + 0.5 - wx, cy - wy);
      if (distance <= bestDistance && isChoosable(seat, selected)) {
        best = seat;
        bestDistance = distance;
      }
    }
  }
  return best;
}
