import type { SeatMap } from '../../../shared/inventory.js';
import type { Seat } from '../../../shared/seats.js';
import type { Tier } from '../../../shared/pricing.js';
import { expandSeatMap, type CompactRow, type CompactSeatMap } from '../../../shared/seat-map.js';
import type { Database, Db } from '../../db/database.js';

/** What reading a seat map needs (a subset of AppDeps): Prisma for the rare full read, the driver for the per-request queries. */
type Queryable = { db: Db; database: Pick<Database, 'query'> };
import { AppError } from '../errors.js';
import { NOW } from '../../db/transact.js';

/**
 * Seat maps, shared by every caller of one instance. An event's map is read from the database only
 * when its inventory version (bumped by triggers on every seat, tier or status change) or its
 * number of live holds (which falls when a hold expires, with no write) has moved since the last
 * read; otherwise one small query decides that the cached map is still exact. The caller's own
 * seats are a second small query, never part of the shared map.
 */
export interface SeatMaps {
  /** The version key of an event's map for this caller, or NOT_FOUND (drafts are staff-only). */
  versionOf(deps: Queryable, eventId: string, staff: boolean): Promise<string>;
  compact(deps: Queryable, input: SeatMapRequest): Promise<CompactSeatMap>;
  full(deps: Queryable, input: SeatMapRequest): Promise<{ version: string; map: SeatMap }>;
}

export interface SeatMapRequest {
  eventId: string;
  viewerId: string | null;
  staff: boolean;
  holdMinutes: number;
}

interface Snapshot {
  key: string;
  tiers: Tier[];
  rows: CompactRow[];
  /** The anonymous full shape, built when first asked for. */
  full?: SeatMap;
}

/** Events kept per instance; the least recently read is dropped first. */
const MAX_EVENTS = 50;

async function readVersion(deps: Queryable, eventId: string, staff: boolean): Promise<string> {
  const [row] = await deps.database.query<{ status: string; version: string; live: number }>(
    `SELECT e.status::text AS status,
            (SELECT coalesce(sum(v.version), 0)::text FROM "InventoryVersion" v WHERE v."eventId" = e.id) AS version,
            (SELECT count(*)::int FROM "Ticket" t WHERE t."eventId" = e.id AND t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC')) AS live
     FROM "Event" e WHERE e.id = $1::uuid`,
    [eventId],
    'tessera_seat_map_version',
  );
  if (!row || (row.status === 'DRAFT' && !staff)) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  return `${row.version}.${row.live}`;
}

/** The whole map, aggregated per row in the database (arrays and strings, not one object per seat). */
async function readSnapshot(deps: Queryable, eventId: string, key: string): Promise<Snapshot> {
  const db = deps.db;
  const tiers = await db.priceTier.findMany({
    where: { eventId },
    select: { id: true, name: true, priceCents: true, currency: true },
    orderBy: { seq: 'asc' },
  });
  const rows = await db.$queryRaw<
    Array<{
      name: string;
      numbers: number[];
      status: string;
      tiers: number[];
      section: string;
      positions: Array<number | null>;
      features: string | null;
    }>
  >`
    SELECT t."rowName" AS name,
           array_agg(t."seatNumber" ORDER BY t."seatNumber") AS numbers,
           string_agg(CASE WHEN t.status = 'SOLD' THEN 'S' WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > ${NOW} THEN 'R' ELSE 'A' END,
                      '' ORDER BY t."seatNumber") AS status,
           array_agg(array_position(${tiers.map((t) => t.id)}::uuid[], t."tierId") - 1 ORDER BY t."seatNumber") AS tiers,
           min(t.section) AS section,
           array_agg(t.position ORDER BY t."seatNumber") AS positions,
           CASE WHEN max(t.features) > 0 THEN string_agg(t.features::text, '' ORDER BY t."seatNumber") END AS features
    FROM "Ticket" t
    LEFT JOIN "EventSection" s ON s."eventId" = t."eventId" AND s.name = t.section
    WHERE t."eventId" = ${eventId}::uuid
    GROUP BY t."rowName"
    ORDER BY coalesce(min(s.position), -1), length(t."rowName"), t."rowName" COLLATE "C"`;
  return {
    key,
    tiers,
    rows: rows.map((row) => {
      const first = row.numbers[0]!;
      const contiguous = row.numbers[row.numbers.length - 1] === first + row.numbers.length - 1;
      const placed = row.positions.every((p) => p !== null) ? row.positions : null;
      return {
        name: row.name,
        ...(contiguous ? { first } : { first: null, numbers: row.numbers }),
        status: row.status,
        tiers: row.tiers,
        ...(row.section ? { section: row.section } : {}),
        ...(placed ? { positions: placed } : {}),
        ...(row.features ? { features: row.features } : {}),
      };
    }),
  };
}

/** The caller's own seats on the event: held (unexpired) or bought. */
async function mineOf(deps: Queryable, eventId: string, viewerId: string | null): Promise<Seat[]> {
  if (!viewerId) return [];
  return deps.database.query<Seat>(
    `SELECT t."rowName" AS row, t."seatNumber" AS number FROM "Ticket" t
     WHERE t."eventId" = $1::uuid AND t.status = 'RESERVED' AND t."heldById" = $2::uuid AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC')
     UNION ALL
     SELECT t."rowName", t."seatNumber" FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
     WHERE o."userId" = $2::uuid AND o."eventId" = $1::uuid AND t.status = 'SOLD'`,
    [eventId, viewerId],
    'tessera_seat_map_mine',
  );
}

export function createSeatMaps(): SeatMaps {
  const cache = new Map<string, Snapshot | Promise<Snapshot>>();

  const snapshot = async (db: Queryable, eventId: string, staff: boolean): Promise<Snapshot> => {
    const key = await readVersion(db, eventId, staff);
    const cached = await cache.get(eventId);
    if (cached?.key === key) {
      // Most recently used last, so the oldest is dropped first.
      cache.delete(eventId);
      cache.set(eventId, cached);
      return cached;
    }
    // Concurrent readers of a changed map share one read.
    const reading = readSnapshot(db, eventId, key);
    cache.set(eventId, reading);
    try {
      const fresh = await reading;
      if (cache.get(eventId) === reading) cache.set(eventId, fresh);
      while (cache.size > MAX_EVENTS) cache.delete(cache.keys().next().value!);
      return fresh;
    } catch (error) {
      if (cache.get(eventId) === reading) cache.delete(eventId);
      throw error;
    }
  };

  return {
    versionOf: readVersion,
    async compact(db, input) {
      const [snap, mine] = await Promise.all([snapshot(db, input.eventId, input.staff), mineOf(db, input.eventId, input.viewerId)]);
      return { eventId: input.eventId, version: snap.key, holdMinutes: input.holdMinutes, tiers: snap.tiers, rows: snap.rows, mine };
    },
    async full(db, input) {
      const [snap, mine] = await Promise.all([snapshot(db, input.eventId, input.staff), mineOf(db, input.eventId, input.viewerId)]);
      snap.full ??= expandSeatMap({ eventId: input.eventId, holdMinutes: input.holdMinutes, tiers: snap.tiers, rows: snap.rows, mine: [] });
      const shared = snap.full.holdMinutes === input.holdMinutes ? snap.full : { ...snap.full, holdMinutes: input.holdMinutes };
      if (mine.length === 0) return { version: snap.key, map: shared };
      // Only the rows holding the caller's seats are copied; the rest are shared with everyone.
      const own = new Map<string, Set<number>>();
      for (const seat of mine) own.set(seat.row, (own.get(seat.row) ?? new Set()).add(seat.number));
      const rows = shared.rows.map((row) => {
        const numbers = own.get(row.name);
        return numbers ? { ...row, seats: row.seats.map((s) => (numbers.has(s.number) ? { ...s, mine: true } : s)) } : row;
      });
      return { version: snap.key, map: { ...shared, rows } };
    },
  };
}
