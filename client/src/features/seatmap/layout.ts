import { seatKey } from '../../../../shared/seats';
import type { SeatFeature } from '../../../../shared/layout';
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
  /** World x of the seat's left edge (its row's offset plus its place, aisles and missing seats included). */
  x: number;
  /** Wheelchair space, companion seat, restricted view. */
  features: readonly SeatFeature[];
  /** Outside the shopper's filter (say, not a wheelchair space): drawn faint and not choosable. */
  dimmed: boolean;
  /** Free, but of a presale tier the shopper has not unlocked with a code: drawn apart and not choosable. */
  locked: boolean;
}

export interface LaidRow {
  name: string;
  /** World y of the row's top. */
  y: number;
  /** World x of the row's first and past its last place. */
  minX: number;
  maxX: number;
  /** In place order, left to right. */
  seats: LaidSeat[];
}

export interface LaidSection {
  name: string;
  /** World y of its label, just above its first row. */
  y: number;
}

export interface SeatLayout {
  rows: LaidRow[];
  sections: LaidSection[];
  width: number;
  height: number;
  total: number;
  byKey: Map<string, LaidSeat>;
}

const NO_FEATURES: readonly SeatFeature[] = Object.freeze([]);
const NO_TIERS: ReadonlySet<string> = new Set();

/** Room between two sections for the next one's name, in rows. */
export const SECTION_GAP = 1.6;

/**
 * Places every seat in world units: rows from the stage back (each section after a gap with room
 * for its name), each row centred on the stage, a seat at its place in the row when the venue has
 * a layout (aisles and missing seats stay empty), else side by side in number order. The free
 * seats of `lockedTiers` (a presale the shopper has no code for) are marked locked.
 */
export function layoutSeats(
  map: SeatMapData,
  filter: ((seat: { features: readonly SeatFeature[] }) => boolean) | null = null,
  lockedTiers: ReadonlySet<string> = NO_TIERS,
): SeatLayout {
  const places = map.rows.map((row) => {
    const positioned = row.seats.length > 0 && row.seats.every((seat) => seat.position !== undefined);
    const ordered = [...row.seats].sort(positioned ? (a, b) => a.position! - b.position! : (a, b) => a.number - b.number);
    const offsets = ordered.map((seat, i) => (positioned ? seat.position! : i));
    const span = ordered.length ? offsets[offsets.length - 1]! + 1 : 0;
    return { row, ordered, offsets, span };
  });
  const maxSpan = places.reduce((m, p) => Math.max(m, p.span), 0);
  const byKey = new Map<string, LaidSeat>();
  const sections: LaidSection[] = [];
  let total = 0;
  let y = FIRST_ROW_Y;
  let section: string | undefined;
  const rows = places.map(({ row, ordered, offsets, span }, rowIndex) => {
    if (row.section && row.section !== section) {
      if (rowIndex > 0) y += SECTION_GAP;
      else y += SECTION_GAP - 1;
      sections.push({ name: row.section, y: y - 0.75 });
    }
    section = row.section;
    const startX = GUTTER + (maxSpan - span) / 2;
    const seats = ordered.map((seat, index) => {
      const features = seat.features ?? NO_FEATURES;
      const laid: LaidSeat = {
        row: row.name,
        rowIndex,
        index,
        number: seat.number,
        status: seat.status,
        tierId: seat.tierId,
        mine: seat.mine,
        x: startX + offsets[index]!,
        features,
        dimmed: filter !== null && !filter({ features }),
        locked: seat.status === 'AVAILABLE' && !seat.mine && lockedTiers.has(seat.tierId),
      };
      byKey.set(seatKey(laid), laid);
      return laid;
    });
    total += seats.length;
    const laidRow = { name: row.name, y, minX: startX, maxX: startX + span, seats };
    y += 1;
    return laidRow;
  });
  return { rows, sections, width: maxSpan + GUTTER * 2, height: y + 0.5, total, byKey };
}

/** Index of the first row whose bottom is below y (rows are in y order). */
function firstRowBelow(layout: SeatLayout, y: number): number {
  let lo = 0;
  let hi = layout.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout.rows[mid]!.y + 1 <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first seat of a row whose right edge is right of x (seats are in x order). */
function firstSeatRightOf(row: LaidRow, x: number): number {
  let lo = 0;
  let hi = row.seats.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (row.seats[mid]!.x + 1 <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A seat the visitor may press to choose or unchoose: free (and not locked), or already in the selection; never their own. */
export function isChoosable(seat: LaidSeat, selected: ReadonlySet<string>): boolean {
  return !seat.mine && ((seat.status === 'AVAILABLE' && !seat.dimmed && !seat.locked) || selected.has(seatKey(seat)));
}

/** The seats inside a world rectangle, for drawing and for the accessible overlay. */
export function* seatsIn(layout: SeatLayout, x0: number, y0: number, x1: number, y1: number): Generator<LaidSeat> {
  for (let r = firstRowBelow(layout, y0); r < layout.rows.length && layout.rows[r]!.y <= y1; r++) {
    const row = layout.rows[r]!;
    for (let i = firstSeatRightOf(row, x0); i < row.seats.length && row.seats[i]!.x <= x1; i++) yield row.seats[i]!;
  }
}

export function countSeatsIn(layout: SeatLayout, x0: number, y0: number, x1: number, y1: number): number {
  let count = 0;
  for (let r = firstRowBelow(layout, y0); r < layout.rows.length && layout.rows[r]!.y <= y1; r++) {
    const row = layout.rows[r]!;
    // The same seats as seatsIn: from the first whose right edge passes x0 to the last starting at or before x1.
    count += Math.max(0, firstSeatAfter(row, x1) - firstSeatRightOf(row, x0));
  }
  return count;
}

/** Index of the first seat of a row that starts right of x. */
function firstSeatAfter(row: LaidRow, x: number): number {
  let lo = 0;
  let hi = row.seats.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (row.seats[mid]!.x <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The seat of `row` nearest to world x. */
function nearestInRow(row: LaidRow, x: number): LaidSeat | null {
  if (row.seats.length === 0) return null;
  const i = Math.min(row.seats.length - 1, firstSeatRightOf(row, x));
  const before = row.seats[i - 1];
  const at = row.seats[i]!;
  return before && Math.abs(before.x - x) < Math.abs(at.x - x) ? before : at;
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
      return target ? nearestInRow(target, seat.x) : null;
    }
    case 'PageUp':
    case 'PageDown': {
      const step = key === 'PageUp' ? -10 : 10;
      const target = layout.rows[Math.min(layout.rows.length - 1, Math.max(0, seat.rowIndex + step))];
      return target ? nearestInRow(target, seat.x) : null;
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
  for (let r = firstRowBelow(layout, wy - radius); r < layout.rows.length && layout.rows[r]!.y <= wy + radius; r++) {
    const row = layout.rows[r]!;
    const cy = row.y + 0.5;
    for (let i = firstSeatRightOf(row, wx - radius); i < row.seats.length && row.seats[i]!.x <= wx + radius; i++) {
      const seat = row.seats[i]!;
      const distance = Math.hypot(seat.x + 0.5 - wx, cy - wy);
      if (distance <= bestDistance && isChoosable(seat, selected)) {
        best = seat;
        bestDistance = distance;
      }
    }
  }
  return best;
}

/** What a shopper may narrow the map to. */
export type SeatFilter = 'all' | 'wheelchair' | 'companion' | 'unrestricted';

export const SEAT_FILTERS: Record<SeatFilter, string> = {
  all: 'All seats',
  wheelchair: 'Wheelchair spaces',
  companion: 'Companion seats',
  unrestricted: 'Without restricted view',
};

export function seatFilter(filter: SeatFilter): ((seat: { features: readonly SeatFeature[] }) => boolean) | null {
  if (filter === 'all') return null;
  if (filter === 'unrestricted') return (seat) => !seat.features.includes('restricted');
  return (seat) => seat.features.includes(filter);
}

/** The features any seat of the map has, in a fixed order. */
export function featuresOf(map: SeatMapData): SeatFeature[] {
  const found = new Set<SeatFeature>();
  for (const row of map.rows) for (const seat of row.seats) for (const f of seat.features ?? []) found.add(f);
  return (['wheelchair', 'companion', 'restricted'] as const).filter((f) => found.has(f));
}
