import type { SeatMap } from '../../../shared/inventory.js';
import type { Seat } from '../../../shared/seats.js';
import type { Tier } from '../../../shared/pricing.js';
import { expandSeatMap, type CompactRow, type CompactSeatMap } from '../../../shared/seat-map.js';
import type { Database, Db } from '../../db/database.js';
import { compareVersions } from '../../../shared/live-seats.js';
import { heldBy } from './held-by.js';

/** What reading a seat map needs (a subset of AppDeps): Prisma for the rare full read, the driver for the per-request queries. */
type Queryable = { db: Db; database: Pick<Database, 'query'> };
import { AppError } from '../errors.js';

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
  /** The shared map at a version just read with readVersions (from the cache when it is that one). */
  at(deps: Queryable, eventId: string, version: string): Promise<Snapshot>;
}

export interface SeatMapRequest {
  eventId: string;
  viewerId: string | null;
  staff: boolean;
  holdMinutes: number;
}

export interface Snapshot {
  key: string;
  tiers: Tier[];
  rows: CompactRow[];
  /** Per row (in the order of `rows`), who holds each seat (see TOKENS_SQL): read for live seat updates only, never sent. */
  tokens?: string[];
  /** The anonymous full shape, built when first asked for. */
  full?: SeatMap;
}

/** Events kept per instance; the least recently read is dropped first. */
const MAX_EVENTS = 50;

/**
 * An event's map version as one growing number: the inventory version (the sum of its shards, which
 * every committed seat, tier or status change bumps) times 2^20, plus 2^20 - 1 minus the live holds
 * (holds expire without a write, so their count falls while the inventory version stands still). It
 * grows with every change a seat map shows, so clients and live streams can order versions.
 */
const VERSION_SQL = `((SELECT coalesce(sum(v.version), 0) FROM "InventoryVersion" v WHERE v."eventId" = e.id) * 1048576 + 1048575
   - least((SELECT count(*) FROM "Ticket" t WHERE t."eventId" = e.id AND t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC')), 1048575))::text`;

async function readVersion(deps: Queryable, eventId: string, staff: boolean): Promise<string> {
  const [row] = await deps.database.query<{ status: string; version: string }>(
    `SELECT e.status::text AS status, ${VERSION_SQL} AS version FROM "Event" e WHERE e.id = $1::uuid`,
    [eventId],
    'tessera_seat_map_version',
  );
  if (!row || (row.status === 'DRAFT' && !staff)) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  return row.version;
}

/** The versions of several events in one query (live seat updates); an event that is gone is absent. */
export async function readVersions(deps: Queryable, eventIds: string[]): Promise<Map<string, { status: string; version: string }>> {
  const rows = await deps.database.query<{ id: string; status: string; version: string }>(
    `SELECT e.id::text AS id, e.status::text AS status, ${VERSION_SQL} AS version FROM "Event" e WHERE e.id = ANY($1::uuid[])`,
    [eventIds],
    'tessera_seat_map_versions',
  );
  return new Map(rows.map((row) => [row.id, { status: row.status, version: row.version }]));
}

type SnapshotRead = {
  version: string;
  tiers: Tier[];
  rows: Array<{
    name: string;
    numbers: number[];
    status: string;
    tiers: number[];
    section: string | null;
    positions: Array<number | null>;
    features: string | null;
    tokens?: string;
  }>;
};

/**
 * Per seat, what changes whenever it changes hands: the first 8 hex digits of the hold's id
 * (RESERVED, unexpired) or of the order's (SOLD), empty for a free seat; comma-separated per row.
 * Live seat updates compare them, so a seat that passes from one holder to another between two
 * reads (its status letter the same) is still seen to change.
 */
const TOKENS_SQL = `, 'tokens', r.tokens`;
const TOKENS_COLUMN = `, string_agg(CASE WHEN t.status = 'SOLD' THEN left(t."orderId"::text, 8)
                         WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC') THEN left(t."holdId"::text, 8)
                         ELSE '' END, ',' ORDER BY t."seatNumber") AS tokens`;

/**
 * The whole map, aggregated per row in the database (arrays and strings, not one object per seat),
 * with its version and tiers in the same statement: one snapshot, so the version names exactly
 * this content (live seat updates diff one snapshot against the next and rely on it). With
 * `tokens` (live seat updates), each row also says who holds its seats (see TOKENS_SQL).
 */
export function snapshotSql(options: { tokens: boolean }): string {
  return `WITH tier_ids AS MATERIALIZED (SELECT coalesce(array_agg(p.id ORDER BY p.seq), '{}') AS ids FROM "PriceTier" p WHERE p."eventId" = $1::uuid)
     SELECT ${VERSION_SQL} AS version,
       (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name, 'priceCents', p."priceCents", 'currency', p.currency, 'hidden', p.hidden) ORDER BY p.seq), '[]'::json)
        FROM "PriceTier" p WHERE p."eventId" = $1::uuid) AS tiers,
       (SELECT coalesce(json_agg(json_build_object('name', r.name, 'numbers', r.numbers, 'status', r.status, 'tiers', r.tiers, 'section', r.section,
                                                   'positions', r.positions, 'features', r.features${options.tokens ? TOKENS_SQL : ''})
                                 ORDER BY r.place, length(r.name), r.name COLLATE "C"), '[]'::json)
        FROM (SELECT t."rowName" AS name,
                     array_agg(t."seatNumber" ORDER BY t."seatNumber") AS numbers,
                     string_agg(CASE WHEN t.status = 'SOLD' THEN 'S' WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC') THEN 'R' ELSE 'A' END,
                                '' ORDER BY t."seatNumber") AS status,
                     array_agg(array_position((SELECT ids FROM tier_ids), t."tierId") - 1 ORDER BY t."seatNumber") AS tiers,
                     min(t.section) AS section,
                     array_agg(t.position ORDER BY t."seatNumber") AS positions,
                     CASE WHEN max(t.features) > 0 THEN string_agg(t.features::text, '' ORDER BY t."seatNumber") END AS features,
                     coalesce(min(s.position), -1) AS place${options.tokens ? TOKENS_COLUMN : ''}
              FROM "Ticket" t
              LEFT JOIN "EventSection" s ON s."eventId" = t."eventId" AND s.name = t.section
              WHERE t."eventId" = $1::uuid
              GROUP BY t."rowName") AS r) AS rows
     FROM "Event" e WHERE e.id = $1::uuid`;
}

/** A snapshot from what snapshotSql() read (null: no such event). */
export function toSnapshot(read: SnapshotRead | undefined): Snapshot | null {
  if (!read) return null;
  const tokens = read.rows.every((row) => row.tokens !== undefined) ? read.rows.map((row) => row.tokens!) : undefined;
  return {
    key: read.version,
    tiers: read.tiers,
    ...(tokens ? { tokens } : {}),
    rows: read.rows.map((row) => {
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

async function readSnapshot(deps: Queryable, eventId: string): Promise<Snapshot | null> {
  const [read] = await deps.database.query<SnapshotRead>(snapshotSql({ tokens: false }), [eventId], 'tessera_seat_map_snapshot');
  return toSnapshot(read);
}

/** The caller's own seats on the event: held (unexpired) or bought. */
export async function mineOf(deps: Queryable, eventId: string, viewerId: string | null): Promise<Seat[]> {
  if (!viewerId) return [];
  return deps.database.query<Seat>(
    `SELECT t."rowName" AS row, t."seatNumber" AS number FROM "Ticket" t
     WHERE t."eventId" = $1::uuid AND ${heldBy('t', '$2')}
     UNION ALL
     SELECT t."rowName", t."seatNumber" FROM "Order" o JOIN "Ticket" t ON t."orderId" = o.id
     WHERE o."userId" = $2::uuid AND o."eventId" = $1::uuid AND t.status = 'SOLD'`,
    [eventId, viewerId],
    'tessera_seat_map_mine',
  );
}

export function createSeatMaps(): SeatMaps {
  const cache = new Map<string, Snapshot | Promise<Snapshot>>();

  const at = async (db: Queryable, eventId: string, key: string): Promise<Snapshot> => {
    const cached = await cache.get(eventId);
    // A snapshot read after `key` was (a newer version) is as good.
    if (cached && compareVersions(cached.key, key) >= 0) {
      // Most recently used last, so the oldest is dropped first.
      cache.delete(eventId);
      cache.set(eventId, cached);
      return cached;
    }
    // Concurrent readers of a changed map share one read; what it reads may be newer than `key`.
    const reading = readSnapshot(db, eventId).then((snap) => {
      if (!snap) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
      return snap;
    });
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
  const snapshot = async (db: Queryable, eventId: string, staff: boolean): Promise<Snapshot> =>
    at(db, eventId, await readVersion(db, eventId, staff));

  return {
    versionOf: readVersion,
    at,
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
