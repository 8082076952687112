import type { SeatMap, SeatStatus } from './inventory.js';
import { seatKey, type Seat } from './seats.js';
import type { Tier } from './pricing.js';
import { featureList } from './layout.js';

/**
 * The seat map in few bytes (`inventory.seatMapCompact`): per row its seat numbers (a first number
 * when they run on without gaps), one status letter per seat and each seat's tier as an index into
 * `tiers`; the caller's own seats listed apart. The 20,000-seat demo arena is about 70 KB of JSON
 * this way, against 1.9 MB in the shape of `inventory.seatMap`.
 */
export interface CompactSeatMap {
  eventId: string;
  /** Changes whenever anything on the map changes (the ETag is made from it). */
  version: string;
  holdMinutes: number;
  tiers: Tier[];
  rows: CompactRow[];
  /** The caller's own seats: held by them or bought by them. */
  mine: Seat[];
}

export interface CompactRow {
  name: string;
  /** The first seat number when the numbers run on without gaps, else null and `numbers` lists them. */
  first: number | null;
  numbers?: number[];
  /** One letter per seat: A(vailable), R(eserved) or S(old). */
  status: string;
  /** Per seat, the index of its tier in `tiers`. */
  tiers: number[];
  /** The row's section, when the venue has sections (shared/layout.ts). */
  section?: string;
  /** Per seat, its place in the row from the left (aisles and missing seats leave gaps); absent: in number order. */
  positions?: number[];
  /** One digit per seat, a bit mask of its features (1 wheelchair, 2 companion, 4 restricted view); absent: none. */
  features?: string;
}

const STATUS: Record<string, SeatStatus> = { A: 'AVAILABLE', R: 'RESERVED', S: 'SOLD' };

/** The seat numbers of a compact row, in order. */
export function rowNumbers(row: CompactRow): number[] {
  return row.first === null ? (row.numbers ?? []) : Array.from({ length: row.status.length }, (_, i) => row.first! + i);
}

/** The compact form spelled out in the shape of `inventory.seatMap`. */
export function expandSeatMap(map: Pick<CompactSeatMap, 'eventId' | 'holdMinutes' | 'tiers' | 'rows' | 'mine'>): SeatMap {
  const mine = new Set(map.mine.map(seatKey));
  return {
    eventId: map.eventId,
    holdMinutes: map.holdMinutes,
    tiers: map.tiers,
    rows: map.rows.map((row) => ({
      name: row.name,
      ...(row.section ? { section: row.section } : {}),
      seats: rowNumbers(row).map((number, i) => {
        const features = row.features ? featureList(Number(row.features[i])) : [];
        return {
          number,
          status: STATUS[row.status[i]!] ?? 'SOLD',
          tierId: map.tiers[row.tiers[i]!]?.id ?? '',
          mine: mine.has(seatKey({ row: row.name, number })),
          ...(row.positions ? { position: row.positions[i]! } : {}),
          ...(features.length ? { features } : {}),
        };
      }),
    })),
  };
}
