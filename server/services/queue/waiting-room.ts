import {
  PASS_MINUTES,
  PASS_USE_MINUTES,
  estimateWaitSeconds,
  type ConfigureQueueInput,
  type QueueSettings,
  type QueueStats,
  type QueueStatus,
} from '../../../shared/queue.js';
import type { AppDeps } from '../../deps.js';
import { signAdmissionPass, verifyAdmissionPass } from '../../lib/jwt.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { heldBy } from '../inventory/held-by.js';

/**
 * The virtual waiting room (see shared/queue.ts for what shoppers see). State lives in PostgreSQL
 * (WaitingRoom, QueueEntry; see the waiting_room migration), so every instance shares it and it
 * survives a crash:
 *
 * - Order. A join before the start (while nobody has been admitted) draws a random place in
 *   [0, 1); a later one gets 1 + a sequence number, behind everyone. Admission takes waiting
 *   entries in place order, so the admitted entries are always the first `admitted` places and a
 *   shopper's position is their rank minus `admitted`: a rank is counted once, not every second.
 * - Admission. Every instance calls tessera_queue_admit() once a second; it locks each room row
 *   while it admits (SKIP LOCKED: another instance's turn is left to it), so each shopper is admitted
 *   exactly once however many instances run. The rate accrues fractions; a pass that lapses unused
 *   gives its admission back, so the place passes on.
 * - Passes. A pass is a JWT (HS256, the app's secret, audience `tessera-admission`) naming the
 *   account, the event and the entry; it is checked against the entry on every use, so a pass is
 *   worthless to another account, after it lapsed, or once it bought tickets (spent).
 *
 * Why PostgreSQL rather than a Redis sorted set: the entry must change in the same database as the
 * seats (a purchase spends the pass), Redis here keeps nothing on disk (a restart would lose the
 * line), and the load is small: a join is one insert, admission one statement a second per instance.
 */

type Deps = Pick<AppDeps, 'db' | 'database' | 'config'>;

interface RoomRow {
  eventId: string;
  startsAt: Date;
  ratePerMinute: number;
  doorsOpen: boolean;
  admitted: number;
}

interface EntryRow {
  id: string;
  userId: string;
  place: number;
  state: 'WAITING' | 'ADMITTED' | 'SHOPPING' | 'DONE' | 'LAPSED';
  useBy: Date | null;
  passExpiresAt: Date | null;
}

/** Settings are read at most this often per event and instance (a change by staff reaches every instance within it). */
const SETTINGS_TTL_MS = 1_000;

const ROOM_COLUMNS = `"eventId", "startsAt", "ratePerMinute", "doorsOpen", "admitted"`;
const ENTRY_COLUMNS = `id, "userId", place, state, "useBy", "passExpiresAt"`;

function settingsOf(room: RoomRow): QueueSettings {
  return { eventId: room.eventId, startsAt: room.startsAt.toISOString(), ratePerMinute: room.ratePerMinute, doorsOpen: room.doorsOpen };
}

/** A UTC instant as the database's timestamp(3) columns hold it. */
const AT = (i: number) => `($${i}::timestamptz AT TIME ZONE 'UTC')`;

export interface WaitingRooms {
  /** The event's room, from a cache of at most SETTINGS_TTL_MS; null when it has none. */
  room(deps: Deps, eventId: string): Promise<RoomRow | null>;
  /** Forgets the cached room (this instance changed it). */
  forget(eventId: string): void;
}

export function createWaitingRooms(): WaitingRooms {
  const cache = new Map<string, { room: RoomRow | null; at: number }>();
  return {
    async room(deps, eventId) {
      const hit = cache.get(eventId);
      const now = Date.now();
      if (hit && now - hit.at < SETTINGS_TTL_MS) return hit.room;
      const [room] = await deps.database.query<RoomRow>(
        `SELECT ${ROOM_COLUMNS} FROM "WaitingRoom" WHERE "eventId" = $1::uuid`,
        [eventId],
        'tessera_waiting_room',
      );
      if (cache.size > 10_000) cache.clear();
      cache.set(eventId, { room: room ?? null, at: now });
      return room ?? null;
    },
    forget(eventId) {
      cache.delete(eventId);
    },
  };
}

type GateDeps = Deps & { waitingRooms: WaitingRooms };

/** Who asks to pass the gate, for which event, with which pass. */
interface GateInput {
  eventId: string;
  viewer: { id: string; staff: boolean } | null;
  pass?: string | null | undefined;
  /** A purchase: the seats it buys, which need no pass when the caller's waiting-list offer holds them all. */
  offered?: Array<{ row: string; number: number }>;
}

/**
 * Lets a request for the event's seat map, a hold or a purchase through, or refuses it: events
 * without a waiting room, or with its doors open, and staff pass freely; anyone else needs a valid
 * pass of their own for this event. Answers the entry the pass belongs to (null when none was
 * needed), for `spendPass`.
 */
export async function admit(deps: GateDeps, input: GateInput, now: Date = new Date()): Promise<string | null> {
  return (await admission(deps, input, now))?.entryId ?? null;
}

/**
 * What admit() checks, and until when the pass admits as it stands: the time to use it by while
 * admitted, its expiry once shopping (a live seat stream asks again then). Null: no pass needed.
 */
export async function admission(deps: GateDeps, input: GateInput, now: Date = new Date()): Promise<{ entryId: string; until: Date } | null> {
  const room = await deps.waitingRooms.room(deps, input.eventId);
  if (!room || room.doorsOpen || input.viewer?.staff) return null;
  if (!input.viewer) throw new AppError('SIGN_IN_REQUIRED', 'This on-sale has a waiting room: sign in and join the queue to shop.', { queue: true });
  const refuse = (message: string) => new AppError('QUEUE_PASS_REQUIRED', message, { queue: true });
  if (!input.pass) {
    // A purchase of exactly the seats a waiting-list offer holds for the buyer: the offer is their turn.
    if (input.offered && (await offerCovers(deps, { eventId: input.eventId, userId: input.viewer.id, seats: input.offered }))) return null;
    throw refuse('This on-sale has a waiting room: join the queue, and you will be let in in turn.');
  }
  const claims = verifyAdmissionPass(deps.config.jwtSecret, input.pass, now);
  if (!claims || claims.sub !== input.viewer.id || claims.ev !== input.eventId) {
    throw refuse('That admission pass is not valid for you and this event: join the queue to get your own.');
  }
  const [entry] = await deps.database.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM "QueueEntry" WHERE id = $1::uuid AND "userId" = $2::uuid AND "eventId" = $3::uuid`,
    [claims.jti, input.viewer.id, input.eventId],
    'tessera_queue_pass',
  );
  if (!entry) throw refuse('That admission pass is not valid for you and this event: join the queue to get your own.');
  const t = now.getTime();
  if (entry.state === 'ADMITTED' && entry.useBy && entry.useBy.getTime() > t) return { entryId: entry.id, until: entry.useBy };
  if (entry.state === 'SHOPPING' && entry.passExpiresAt && entry.passExpiresAt.getTime() > t)
    return { entryId: entry.id, until: entry.passExpiresAt };
  if (entry.state === 'DONE') throw refuse('Your admission pass was spent on your order: join the queue again to buy more.');
  throw refuse('Your admission pass has expired: join the queue again for a new place.');
}

/**
 * A shopper buying the seats a waiting-list offer holds for them (the event had sold out, the
 * offer came by mail) needs no admission pass: the offer is their turn. True when every named
 * seat is held, unexpired, by the caller under an open offer of theirs on this event.
 */
async function offerCovers(
  deps: Pick<Deps, 'database'>,
  input: { eventId: string; userId: string; seats: Array<{ row: string; number: number }> },
): Promise<boolean> {
  if (input.seats.length === 0) return false;
  const [row] = await deps.database.query<{ covered: number }>(
    `SELECT count(*)::int AS covered
     FROM unnest($3::text[], $4::int[]) AS r(row_name, seat_number)
     JOIN "Ticket" t ON t."eventId" = $1::uuid AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
     JOIN "WaitingEntry" w ON w."eventId" = $1::uuid AND w."userId" = $2::uuid AND w.status = 'OFFERED' AND w."holdId" = t."holdId"
     WHERE ${heldBy('t', '$2')}
       AND w."offerExpiresAt" > (now() AT TIME ZONE 'UTC')`,
    [input.eventId, input.userId, input.seats.map((s) => s.row), input.seats.map((s) => s.number)],
    'tessera_queue_offer_covers',
  );
  return (row?.covered ?? 0) === new Set(input.seats.map((s) => `${s.row}:${s.number}`)).size;
}

/** After a hold on a pass (`shopping`) or a purchase (`done`: the pass is spent). */
export async function spendPass(
  deps: Pick<Deps, 'database'>,
  entryId: string | null,
  to: 'SHOPPING' | 'DONE',
  now: Date = new Date(),
): Promise<void> {
  if (!entryId) return;
  await deps.database.query(
    `UPDATE "QueueEntry" SET state = $2::varchar, "endedAt" = CASE WHEN $2::varchar = 'DONE' THEN ${AT(3)} ELSE NULL END
     WHERE id = $1::uuid AND state IN ('ADMITTED', 'SHOPPING')`,
    [entryId, to, now.toISOString()],
    'tessera_queue_spend',
  );
}

/** One admission step for every started room (every instance runs it about once a second). Answers how many were admitted. */
export async function admitNext(deps: Pick<Deps, 'database'>, now: Date = new Date()): Promise<number> {
  const [row] = await deps.database.query<{ admitted: number }>(
    `SELECT tessera_queue_admit(${AT(1)}, $2::int, $3::int) AS admitted`,
    [now.toISOString(), PASS_USE_MINUTES * 60, PASS_MINUTES * 60],
    'tessera_queue_admit',
  );
  return row?.admitted ?? 0;
}

/** The event must exist, and a draft exists only for staff (as everywhere else). */
export async function eventVisible(deps: Pick<Deps, 'db'>, eventId: string, staff: boolean): Promise<void> {
  const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { status: true } });
  if (!event || (event.status === 'DRAFT' && !staff)) throw new AppError('EVENT_NOT_FOUND', 'No such event.');
}

/** Switches the room on (or changes its start and rate); the doors close again if they were open. */
export async function configureQueue(deps: GateDeps, input: ConfigureQueueInput, actor: Actor): Promise<QueueSettings> {
  await eventVisible(deps, input.eventId, true);
  const startsAt = new Date(input.startsAt);
  const room = await deps.db.$transaction(async (tx) => {
    const before = await tx.waitingRoom.findUnique({ where: { eventId: input.eventId } });
    if (before && before.admitted > 0 && !before.doorsOpen && before.startsAt.getTime() !== startsAt.getTime()) {
      throw new AppError('QUEUE_STARTED', 'Admission has begun, so the start can no longer move: change the rate, or open the doors.');
    }
    const after = await tx.waitingRoom.upsert({
      where: { eventId: input.eventId },
      create: { eventId: input.eventId, startsAt, ratePerMinute: input.ratePerMinute },
      update: { startsAt, ratePerMinute: input.ratePerMinute, doorsOpen: false },
    });
    await recordAction(tx, actor, {
      type: 'queue.configured',
      eventId: input.eventId,
      detail: {
        before: before ? { startsAt: before.startsAt.toISOString(), ratePerMinute: before.ratePerMinute, doorsOpen: before.doorsOpen } : {},
        after: { startsAt: after.startsAt.toISOString(), ratePerMinute: after.ratePerMinute, doorsOpen: after.doorsOpen },
      },
    });
    return after;
  });
  deps.waitingRooms.forget(input.eventId);
  return settingsOf(room);
}

/** Opens the doors: from now on nobody needs a pass (the line is let in at once). */
export async function openDoors(deps: GateDeps, eventId: string, actor: Actor): Promise<QueueSettings> {
  const room = await deps.db.$transaction(async (tx) => {
    const found = await tx.waitingRoom.findUnique({ where: { eventId } });
    if (!found) throw new AppError('EVENT_NOT_FOUND', 'This event has no waiting room.');
    const after = await tx.waitingRoom.update({ where: { eventId }, data: { doorsOpen: true } });
    if (!found.doorsOpen)
      await recordAction(tx, actor, { type: 'queue.doors_opened', eventId, detail: { before: { doorsOpen: false }, after: { doorsOpen: true } } });
    return after;
  });
  deps.waitingRooms.forget(eventId);
  return settingsOf(room);
}

/** The room of an event as anyone may see it (null: none). */
export async function queueSettings(deps: Deps, eventId: string, staff: boolean): Promise<QueueSettings | null> {
  const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { status: true } });
  if (!event || (event.status === 'DRAFT' && !staff)) return null;
  const room = await deps.db.waitingRoom.findUnique({ where: { eventId } });
  return room ? settingsOf(room) : null;
}

/** The caller's place, making one if they have none open (the same one from every tab). */
export async function joinQueue(
  deps: GateDeps,
  input: { eventId: string; userId: string; staff: boolean },
  now: Date = new Date(),
): Promise<QueueStatus> {
  await eventVisible(deps, input.eventId, input.staff);
  const room = await readRoom(deps, input.eventId);
  if (!room || room.doorsOpen || input.staff) return openStatus(input.eventId, room);
  // Before the start (and before anyone was let in) a random place among the early ones; after it, the back of the line.
  await deps.database.query(
    `INSERT INTO "QueueEntry" (id, "eventId", "userId", place, state, "joinedAt")
     SELECT gen_random_uuid(), $1::uuid, $2::uuid,
            CASE WHEN r."startsAt" > ${AT(3)} AND r.admitted = 0 THEN random() ELSE 1 + nextval('"QueueEntry_place_seq"') END,
            'WAITING', ${AT(3)}
     FROM "WaitingRoom" r WHERE r."eventId" = $1::uuid
     ON CONFLICT ("eventId", "userId") WHERE state IN ('WAITING', 'ADMITTED', 'SHOPPING') DO NOTHING`,
    [input.eventId, input.userId, now.toISOString()],
    'tessera_queue_join',
  );
  const entry = await openEntry(deps, input.eventId, input.userId);
  if (!entry) throw new AppError('BUSY', 'Your place could not be kept just now; please try again.');
  return statusOf(deps, room, entry, await waitingCount(deps, input.eventId), now);
}

/** The caller's status now (`none` when they have no open place). */
export async function queueStatus(
  deps: GateDeps,
  input: { eventId: string; userId: string; staff: boolean },
  now: Date = new Date(),
): Promise<QueueStatus> {
  const room = await readRoom(deps, input.eventId);
  if (!room || room.doorsOpen || input.staff) return openStatus(input.eventId, room);
  const entry = await latestEntry(deps, input.eventId, input.userId);
  return statusOf(deps, room, entry, await waitingCount(deps, input.eventId), now);
}

/** Queue length, admissions and sales, for staff. */
export async function queueStats(deps: Deps, eventId: string, now: Date = new Date()): Promise<QueueStats> {
  const room = await readRoom(deps, eventId);
  if (!room) throw new AppError('EVENT_NOT_FOUND', 'This event has no waiting room.');
  const [row] = await deps.database.query<Record<'waiting' | 'admitted' | 'shopping' | 'done' | 'lapsed' | 'lastMinute' | 'sold', number>>(
    `SELECT count(*) FILTER (WHERE state = 'WAITING')::int AS waiting,
            count(*) FILTER (WHERE state = 'ADMITTED')::int AS admitted,
            count(*) FILTER (WHERE state = 'SHOPPING')::int AS shopping,
            count(*) FILTER (WHERE state = 'DONE')::int AS done,
            count(*) FILTER (WHERE state = 'LAPSED')::int AS lapsed,
            count(*) FILTER (WHERE "admittedAt" > ${AT(2)} - interval '1 minute')::int AS "lastMinute",
            (SELECT count(*)::int FROM "Ticket" t WHERE t."eventId" = $1::uuid AND t.status = 'SOLD') AS sold
     FROM "QueueEntry" WHERE "eventId" = $1::uuid`,
    [eventId, now.toISOString()],
  );
  return {
    ...settingsOf(room),
    waiting: row?.waiting ?? 0,
    admitted: row?.admitted ?? 0,
    shopping: row?.shopping ?? 0,
    done: row?.done ?? 0,
    lapsed: row?.lapsed ?? 0,
    admittedLastMinute: row?.lastMinute ?? 0,
    sold: row?.sold ?? 0,
  };
}

async function readRoom(deps: Pick<Deps, 'database'>, eventId: string): Promise<RoomRow | null> {
  const [room] = await deps.database.query<RoomRow>(
    `SELECT ${ROOM_COLUMNS} FROM "WaitingRoom" WHERE "eventId" = $1::uuid`,
    [eventId],
    'tessera_waiting_room',
  );
  return room ?? null;
}

async function openEntry(deps: Pick<Deps, 'database'>, eventId: string, userId: string): Promise<EntryRow | null> {
  const [entry] = await deps.database.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM "QueueEntry" WHERE "eventId" = $1::uuid AND "userId" = $2::uuid AND state IN ('WAITING', 'ADMITTED', 'SHOPPING')`,
    [eventId, userId],
  );
  return entry ?? null;
}

/** The open entry, else the latest ended one (to say `done` or `lapsed`). */
async function latestEntry(deps: Pick<Deps, 'database'>, eventId: string, userId: string): Promise<EntryRow | null> {
  const [entry] = await deps.database.query<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM "QueueEntry" WHERE "eventId" = $1::uuid AND "userId" = $2::uuid
     ORDER BY (state IN ('WAITING', 'ADMITTED', 'SHOPPING')) DESC, "joinedAt" DESC LIMIT 1`,
    [eventId, userId],
  );
  return entry ?? null;
}

async function waitingCount(deps: Pick<Deps, 'database'>, eventId: string): Promise<number> {
  const [row] = await deps.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "QueueEntry" WHERE "eventId" = $1::uuid AND state = 'WAITING'`,
    [eventId],
    'tessera_queue_waiting',
  );
  return row?.n ?? 0;
}

/** 1 + the places before this one: fixed once the start has passed (later joins go behind). */
async function rankOf(deps: Pick<Deps, 'database'>, eventId: string, place: number): Promise<number> {
  const [row] = await deps.database.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "QueueEntry" WHERE "eventId" = $1::uuid AND place < $2::float8`,
    [eventId, place],
    'tessera_queue_rank',
  );
  return (row?.n ?? 0) + 1;
}

function openStatus(eventId: string, room: RoomRow | null): QueueStatus {
  return {
    eventId,
    state: 'open',
    position: null,
    waiting: 0,
    ratePerMinute: room?.ratePerMinute ?? 0,
    startsAt: (room?.startsAt ?? new Date(0)).toISOString(),
    estimatedWaitSeconds: null,
    pass: null,
  };
}

/** Whether joins still draw random places: before the start, while nobody has been let in. */
export function inDraw(room: RoomRow, now: Date): boolean {
  return room.startsAt.getTime() > now.getTime() && room.admitted === 0;
}

/** The status of `entry` in `room` (rank counted here when needed; see QueueFollower for the stream's cheaper path). */
export async function statusOf(
  deps: Pick<Deps, 'database' | 'config'>,
  room: RoomRow,
  entry: EntryRow | null,
  waiting: number,
  now: Date,
  knownRank?: number,
): Promise<QueueStatus> {
  const base = {
    eventId: room.eventId,
    waiting,
    ratePerMinute: room.ratePerMinute,
    startsAt: room.startsAt.toISOString(),
    position: null,
    estimatedWaitSeconds: null,
    pass: null,
  };
  if (!entry) return { ...base, state: 'none' };
  const untilStart = (room.startsAt.getTime() - now.getTime()) / 1000;
  switch (entry.state) {
    case 'WAITING': {
      if (inDraw(room, now)) return { ...base, state: 'draw', estimatedWaitSeconds: estimateWaitSeconds(1, room.ratePerMinute, untilStart) };
      const rank = knownRank ?? (await rankOf(deps, room.eventId, entry.place));
      const position = Math.max(1, rank - room.admitted);
      return { ...base, state: 'waiting', position, estimatedWaitSeconds: estimateWaitSeconds(position, room.ratePerMinute, untilStart) };
    }
    case 'ADMITTED':
    case 'SHOPPING': {
      const useBy = entry.useBy!;
      const expiresAt = entry.passExpiresAt!;
      // Past its time, the pass is refused even before the admission step marks it lapsed.
      const ends = entry.state === 'ADMITTED' ? useBy : expiresAt;
      if (ends.getTime() <= now.getTime()) return { ...base, state: 'lapsed' };
      const token = signAdmissionPass(deps.config.jwtSecret, { sub: entry.userId, ev: room.eventId, jti: entry.id }, expiresAt);
      return {
        ...base,
        state: entry.state === 'ADMITTED' ? 'admitted' : 'shopping',
        pass: { token, useBy: useBy.toISOString(), expiresAt: expiresAt.toISOString() },
      };
    }
    case 'DONE':
      return { ...base, state: 'done' };
    default:
      return { ...base, state: 'lapsed' };
  }
}

export { readRoom, latestEntry, rankOf, waitingCount, type RoomRow, type EntryRow };
