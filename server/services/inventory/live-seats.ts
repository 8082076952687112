import { tracked, type TrackedEnvelope } from '@trpc/server';
import { changeLetter, compareVersions, type RowChanges, type SeatChange, type SeatChangesMessage } from '../../../shared/live-seats.js';
import { rowNumbers } from '../../../shared/seat-map.js';
import { mineOf, readVersions, snapshotSql, toSnapshot, type SeatMapRequest, type SeatMaps, type Snapshot } from './seat-map.js';
import type { Database, Db } from '../../db/database.js';
import { transact } from '../../db/transact.js';
import { AppError } from '../errors.js';

type Queryable = { db: Db; database: Pick<Database, 'query' | 'prisma' | 'kind'> };
/** One statement inside the follower's transaction. */
type Run = <T>(sql: string, params: unknown[]) => Promise<T[]>;

/**
 * Live seat updates (`inventory.seatChanges`). Each instance follows the events someone watches
 * through it: every FOLLOW_MS one query reads the map versions of all of them (the version every
 * committed seat, tier or status change bumps, by the triggers that already keep it; see
 * seat-map.ts), and an event whose version moved is read again (one statement, shared with the
 * seat-map cache) and diffed against the snapshot before. The diff goes to that event's
 * subscribers in process.
 *
 * Why not NOTIFY or Redis publish per change: a NOTIFY takes PostgreSQL's one notify-queue lock
 * from commit to the end of it, so every seat-changing transaction of every event would commit one
 * at a time; on a busy on-sale that lengthened the hot transactions enough to break the
 * best-available concurrency test on PostgreSQL when we tried it. A publish from the app after
 * commit would have to be added to every path that changes seats (the sweeper, cancellations,
 * refunds, generation, the waiting list...) and is lost when the process dies between the commit
 * and the publish. Following the committed version has neither cost: it sees every change, whoever
 * made it and on whichever instance, in commit order, and it costs one small query per instance per
 * FOLLOW_MS however many people watch; a change reaches the screens within about FOLLOW_MS plus
 * one map read.
 *
 * Each subscriber holds what it has not been sent yet (changes since its last message, coalesced
 * per message, or "send the whole map" once that is bigger than MAX_PENDING), so a slow reader
 * costs bounded memory and never holds back the others.
 *
 * Who holds a changed seat (for `mine`) is read in the same REPEATABLE READ transaction as the map
 * it changed in, so it is the holder at exactly that version; the map read for following also says,
 * per seat, which hold or order has it (Snapshot.tokens), so a seat passing from one holder to
 * another between two reads is a change too, though its letter stays R.
 *
 * Sending costs per message, not per change: every open map gets every step, so a message is a
 * few bytes per seat (shared/live-seats.ts RowChanges), and its text is built once per step and
 * shared by every viewer who owns none of its seats (the tRPC stream still serialises it per
 * subscriber, a short string copy).
 */
export interface LiveSeats {
  /**
   * Opens a stream: refuses (AppError) before anything is sent when the caller may not see the
   * event, then yields what changed since `lastEventId` and every change after, until `signal`.
   */
  open(
    deps: Queryable,
    request: SeatMapRequest & { lastEventId: string | null; pass?: PassCheck | null },
    signal: AbortSignal | undefined,
  ): Promise<AsyncGenerator<TrackedEnvelope<SeatChangesMessage>, void, unknown>>;
  /** Ends every stream (the server is stopping). */
  stop(): void;
  /** Streams open now, and events followed: for metrics and tests. */
  stats(): { subscribers: number; events: number };
}

/**
 * A stream behind a waiting room: the pass admits until `until` (ms); then `recheck` answers the
 * next deadline (null: no pass needed any more) or throws the refusal, which ends the stream.
 */
export interface PassCheck {
  until: number;
  recheck: () => Promise<number | null>;
}

export const FOLLOW_MS = 200;
/** A subscriber with more changes than this waiting is sent the whole map instead. */
const MAX_PENDING = 2_000;
/** Diffs kept per event for reconnecting clients. */
const HISTORY = 300;
/**
 * A stream with nothing to say this long is sent an empty `changes` message at the map's version.
 * tRPC's own ping is off (server/trpc/init.ts): it races a fresh timer against every message of
 * every stream, which on a busy on-sale cost a tenth of the fan-out; this costs one look at the
 * subscribers every few seconds. Well within the client's 40 s before it reconnects.
 */
export const KEEP_ALIVE_MS = 15_000;
/** An event nobody watches is still followed this long, so a client that reconnects gets a diff, not the whole map. */
const LINGER_MS = 30_000;

interface Change {
  row: string;
  number: number;
  status: SeatChange['status'];
  /** Who holds or bought the seat (never sent: compared with the viewer's id for `mine`). */
  holder: string | null;
}

interface Batch {
  version: string;
  changes: Change[];
}

interface Subscriber {
  viewerId: string | null;
  request: SeatMapRequest;
  batches: Batch[];
  pending: number;
  wantMap: boolean;
  closed: boolean;
  wake: (() => void) | null;
  /** When it was last sent anything (Date.now()), and whether a keep-alive is due. */
  sentAt: number;
  keepAlive: boolean;
  /** When its admission pass must be checked again (ms; null: none needed). */
  passUntil: number | null;
}

/** One message's seats, built once and shared by the subscribers that are sent the same steps. */
interface Encoded {
  version: string;
  changes: Change[];
  /** For everyone who holds none of them. */
  rows: RowChanges[];
  /** Who holds (or bought) a seat named in it: they get their own rows, with their seats marked. */
  holders: Set<string>;
}

interface Watch {
  eventId: string;
  snap: Snapshot;
  /** Messages built since the last step, by first and last version of the steps they cover. */
  encoded: Map<string, Encoded>;
  subscribers: Set<Subscriber>;
  /** Each step the follower saw: from one version to the next, and what changed (null: the layout or tiers changed). */
  history: Array<{ from: string; to: string; changes: Change[] | null }>;
  idleSince: number | null;
}

/** The seats whose status differs between two snapshots of one event; null when more than statuses changed. */
export function diffSnapshots(before: Snapshot, after: Snapshot): Array<Omit<Change, 'holder'>> | null {
  if (before.rows.length !== after.rows.length || JSON.stringify(before.tiers) !== JSON.stringify(after.tiers)) return null;
  const changes: Array<Omit<Change, 'holder'>> = [];
  for (let i = 0; i < after.rows.length; i++) {
    const a = before.rows[i]!;
    const b = after.rows[i]!;
    if (a === b) continue;
    if (
      a.name !== b.name ||
      a.first !== b.first ||
      a.status.length !== b.status.length ||
      a.section !== b.section ||
      a.features !== b.features ||
      String(a.numbers) !== String(b.numbers) ||
      String(a.tiers) !== String(b.tiers) ||
      String(a.positions) !== String(b.positions)
    ) {
      return null;
    }
    const tokensBefore = before.tokens?.[i];
    const tokensAfter = after.tokens?.[i];
    const sameHands = tokensBefore === undefined || tokensAfter === undefined || tokensBefore === tokensAfter;
    if (a.status === b.status && sameHands) continue;
    const numbers = rowNumbers(b);
    const handsBefore = sameHands ? null : tokensBefore.split(',');
    const handsAfter = sameHands ? null : tokensAfter.split(',');
    for (let j = 0; j < b.status.length; j++) {
      if (a.status[j] !== b.status[j] || (handsBefore !== null && handsBefore[j] !== handsAfter![j])) {
        changes.push({ row: b.name, number: numbers[j]!, status: b.status[j] as SeatChange['status'] });
      }
    }
  }
  return changes;
}

/** The map as the follower reads it: with who holds each seat (Snapshot.tokens); null when the event is gone. */
async function readFollowed(run: Run, eventId: string): Promise<Snapshot | null> {
  const [read] = await run<Parameters<typeof toSnapshot>[0] & object>(snapshotSql({ tokens: true }), [eventId]);
  return toSnapshot(read);
}

/**
 * The event's map now, what changed since `before` and who holds the changed seats, all read in one
 * REPEATABLE READ transaction: the holders are those of exactly that map. Null when the event is gone.
 */
async function readStep(deps: Queryable, eventId: string, before: Snapshot): Promise<{ snap: Snapshot; changes: Change[] | null } | null> {
  return transact(
    deps.database,
    async (tx) => {
      const run: Run = (sql, params) => tx.$queryRawUnsafe(sql, ...params);
      const snap = await readFollowed(run, eventId);
      if (!snap) return null;
      if (compareVersions(snap.key, before.key) <= 0) return { snap, changes: [] };
      const diff = diffSnapshots(before, snap);
      if (diff === null) return { snap, changes: null };
      const taken = diff.filter((c) => c.status !== 'A');
      const holders = taken.length > 0 ? await holdersOf(run, eventId, taken) : null;
      return { snap, changes: diff.map((c) => ({ ...c, holder: holders?.get(`${c.row}\u0000${c.number}`) ?? null })) };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

/** Who holds (unexpired) or bought each of these seats. */
async function holdersOf(run: Run, eventId: string, seats: Array<{ row: string; number: number }>): Promise<Map<string, string>> {
  const rows = await run<{ row: string; number: number; holder: string | null }>(
    `SELECT t."rowName" AS row, t."seatNumber" AS number,
            CASE WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC') THEN t."heldById"::text
                 WHEN t.status = 'SOLD' THEN o."userId"::text END AS holder
     FROM unnest($2::text[], $3::int[]) AS c(r, n)
     JOIN "Ticket" t ON t."eventId" = $1::uuid AND t."rowName" = c.r AND t."seatNumber" = c.n
     LEFT JOIN "Order" o ON o.id = t."orderId"`,
    [eventId, seats.map((s) => s.row), seats.map((s) => s.number)],
  );
  const holders = new Map<string, string>();
  for (const row of rows) if (row.holder) holders.set(`${row.row}\u0000${row.number}`, row.holder);
  return holders;
}

/** Changes in their wire form (RowChanges), grouped by row in the order met; the seats of `viewerId` marked as theirs. */
function rowChanges(changes: Change[], viewerId: string | null): RowChanges[] {
  const rows = new Map<string, string>();
  for (const c of changes) {
    const letter = changeLetter(c.status, viewerId !== null && c.holder === viewerId);
    rows.set(c.row, (rows.get(c.row) ?? '') + c.number + letter);
  }
  return [...rows];
}

export function createLiveSeats(options: {
  seatMaps: SeatMaps;
  onError: (error: unknown) => void;
  followMs?: number;
  keepAliveMs?: number;
}): LiveSeats {
  const { seatMaps, onError } = options;
  const followMs = options.followMs ?? FOLLOW_MS;
  const keepAliveMs = options.keepAliveMs ?? KEEP_ALIVE_MS;
  const watches = new Map<string, Watch | Promise<Watch>>();
  let timer: NodeJS.Timeout | null = null;
  let following = false;
  let stopped = false;
  /** The deps of the latest subscriber: the follower needs a database, and every request carries the same one. */
  let deps: Queryable | null = null;

  const wake = (sub: Subscriber) => {
    const resolve = sub.wake;
    sub.wake = null;
    resolve?.();
  };

  const publish = (watch: Watch, batch: Batch | null) => {
    watch.encoded.clear();
    for (const sub of watch.subscribers) {
      if (batch === null) {
        sub.wantMap = true;
        sub.batches = [];
        sub.pending = 0;
      } else if (!sub.wantMap) {
        sub.batches.push(batch);
        sub.pending += batch.changes.length;
        if (sub.pending > MAX_PENDING) {
          sub.wantMap = true;
          sub.batches = [];
          sub.pending = 0;
        }
      }
      wake(sub);
    }
  };

  const end = (watch: Watch) => {
    watches.delete(watch.eventId);
    for (const sub of watch.subscribers) {
      sub.closed = true;
      wake(sub);
    }
  };

  /** One look at every followed event; a change is read, diffed and sent to its subscribers. */
  const followOnce = async (db: Queryable) => {
    const ready = [...watches.values()].filter((w): w is Watch => !(w instanceof Promise));
    if (ready.length === 0) return;
    const now = Date.now();
    for (const watch of ready) {
      if (watch.subscribers.size === 0 && watch.idleSince !== null && now - watch.idleSince > LINGER_MS) watches.delete(watch.eventId);
    }
    const live = ready.filter((w) => watches.get(w.eventId) === w);
    if (live.length === 0) return;
    const versions = await readVersions(
      db,
      live.map((w) => w.eventId),
    );
    for (const watch of live) {
      const current = versions.get(watch.eventId);
      if (!current) {
        end(watch);
        continue;
      }
      if (compareVersions(current.version, watch.snap.key) <= 0) continue;
      const step = await readStep(db, watch.eventId, watch.snap);
      if (step === null) {
        end(watch);
        continue;
      }
      const { snap } = step;
      if (compareVersions(snap.key, watch.snap.key) <= 0) continue;
      // Kept even when nobody watches now: the step is there for those who reconnect.
      const batch: Batch | null = step.changes === null ? null : { version: snap.key, changes: step.changes };
      watch.history.push({ from: watch.snap.key, to: snap.key, changes: batch?.changes ?? null });
      if (watch.history.length > HISTORY) watch.history.splice(0, watch.history.length - HISTORY);
      watch.snap = snap;
      if (batch === null || batch.changes.length > 0) publish(watch, batch);
    }
  };

  /** Wakes the streams that have been quiet for keepAliveMs, to send a keep-alive. */
  const keepAlive = () => {
    const now = Date.now();
    const due = now - keepAliveMs;
    for (const watch of watches.values()) {
      if (watch instanceof Promise) continue;
      for (const sub of watch.subscribers) {
        if (sub.wake === null) continue;
        if (sub.passUntil !== null && sub.passUntil <= now) wake(sub);
        else if (sub.sentAt <= due) {
          sub.keepAlive = true;
          wake(sub);
        }
      }
    }
  };

  let ticks = 0;
  const schedule = () => {
    if (timer || stopped) return;
    timer = setInterval(() => {
      if (++ticks % Math.max(1, Math.round(keepAliveMs / 3 / followMs)) === 0) keepAlive();
      if (following || !deps) return;
      if (watches.size === 0) {
        clearInterval(timer!);
        timer = null;
        return;
      }
      following = true;
      followOnce(deps)
        .catch(onError)
        .finally(() => {
          following = false;
        });
    }, followMs);
    timer.unref();
  };

  /** The event's watch, created (with its first snapshot) for the first subscriber. */
  const watchOf = async (db: Queryable, request: SeatMapRequest): Promise<Watch> => {
    // Drafts are staff-only: the same check as the seat map itself, for every subscriber.
    await seatMaps.versionOf(db, request.eventId, request.staff);
    const existing = watches.get(request.eventId);
    if (existing) return existing;
    const creating = readFollowed((sql, params) => db.database.query(sql, params), request.eventId).then((snap): Watch => {
      if (!snap) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
      return { eventId: request.eventId, snap, encoded: new Map(), subscribers: new Set(), history: [], idleSince: null };
    });
    watches.set(request.eventId, creating);
    try {
      const watch = await creating;
      if (watches.get(request.eventId) === creating) watches.set(request.eventId, watch);
      return watch;
    } catch (error) {
      if (watches.get(request.eventId) === creating) watches.delete(request.eventId);
      throw error;
    }
  };

  /** What a subscriber has missed since `lastEventId`: the diffs, or null for "send the whole map". */
  const since = (watch: Watch, lastEventId: string | null): Batch[] | null => {
    if (lastEventId === null) return null;
    if (lastEventId === watch.snap.key) return [];
    const start = watch.history.findIndex((step) => step.from === lastEventId);
    if (start < 0) return null;
    const batches: Batch[] = [];
    for (const step of watch.history.slice(start)) {
      if (step.changes === null) return null;
      batches.push({ version: step.to, changes: step.changes });
    }
    return batches;
  };

  /** The seats of these steps, the last state of each, in one message's form: built once per step for everyone sent the same steps. */
  const encode = (watch: Watch, batches: Batch[]): Encoded => {
    const version = batches[batches.length - 1]!.version;
    const key = `${batches[0]!.version}:${version}`;
    const known = watch.encoded.get(key);
    if (known) return known;
    let changes = batches[0]!.changes;
    if (batches.length > 1) {
      const merged = new Map<string, Change>();
      for (const batch of batches) for (const c of batch.changes) merged.set(`${c.row}\u0000${c.number}`, c);
      changes = [...merged.values()];
    }
    const holders = new Set<string>();
    for (const c of changes) if (c.holder !== null && c.status !== 'A') holders.add(c.holder);
    const encoded = { version, changes, rows: rowChanges(changes, null), holders };
    watch.encoded.set(key, encoded);
    return encoded;
  };

  const message = (sub: Subscriber, watch: Watch, batches: Batch[]): SeatChangesMessage => {
    const encoded = encode(watch, batches);
    const own = sub.viewerId !== null && encoded.holders.has(sub.viewerId);
    return {
      kind: 'changes',
      eventId: watch.eventId,
      version: encoded.version,
      rows: own ? rowChanges(encoded.changes, sub.viewerId) : encoded.rows,
    };
  };

  async function* stream(
    db: Queryable,
    watch: Watch,
    request: SeatMapRequest & { lastEventId: string | null; pass?: PassCheck | null },
    signal: AbortSignal | undefined,
  ): AsyncGenerator<TrackedEnvelope<SeatChangesMessage>, void, unknown> {
    const sub: Subscriber = {
      viewerId: request.viewerId,
      request,
      batches: [],
      pending: 0,
      wantMap: false,
      closed: false,
      wake: null,
      sentAt: Date.now(),
      keepAlive: false,
      passUntil: request.pass?.until ?? null,
    };
    const missed = since(watch, request.lastEventId);
    if (missed === null) sub.wantMap = true;
    else {
      sub.batches = missed;
      sub.pending = missed.reduce((n, b) => n + b.changes.length, 0);
      if (sub.pending > MAX_PENDING) sub.wantMap = true;
    }
    watch.subscribers.add(sub);
    watch.idleSince = null;
    schedule();
    const onAbort = () => {
      sub.closed = true;
      wake(sub);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (!sub.closed && !stopped) {
        sub.sentAt = Date.now();
        // A pass that ran out ends the stream with its refusal (looked at on every wake, and by the keep-alive sweep).
        if (sub.passUntil !== null && sub.passUntil <= sub.sentAt) sub.passUntil = await request.pass!.recheck();
        if (sub.wantMap) {
          sub.wantMap = false;
          sub.batches = [];
          sub.pending = 0;
          const snap = watch.snap;
          const mine = await mineOf(db, request.eventId, request.viewerId);
          yield tracked(snap.key, {
            kind: 'map',
            eventId: request.eventId,
            version: snap.key,
            map: { eventId: request.eventId, version: snap.key, holdMinutes: request.holdMinutes, tiers: snap.tiers, rows: snap.rows, mine },
          });
        } else if (sub.batches.length > 0) {
          const batches = sub.batches;
          sub.batches = [];
          sub.pending = 0;
          const next = message(sub, watch, batches);
          yield tracked(next.version, next);
        } else if (sub.keepAlive) {
          sub.keepAlive = false;
          // Nothing is waiting for this stream, so it has everything up to the watch's map.
          yield tracked(watch.snap.key, { kind: 'changes', eventId: request.eventId, version: watch.snap.key, rows: [] });
        } else {
          await new Promise<void>((resolve) => {
            sub.wake = resolve;
          });
        }
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      watch.subscribers.delete(sub);
      if (watch.subscribers.size === 0) watch.idleSince = Date.now();
    }
  }

  return {
    async open(db, request, signal) {
      deps = db;
      return stream(db, await watchOf(db, request), request, signal);
    },
    stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      for (const watch of watches.values()) if (!(watch instanceof Promise)) end(watch);
    },
    stats() {
      let subscribers = 0;
      for (const watch of watches.values()) if (!(watch instanceof Promise)) subscribers += watch.subscribers.size;
      return { subscribers, events: watches.size };
    },
  };
}
