import { tracked, type TrackedEnvelope } from '@trpc/server';
import { compareVersions, type SeatChange, type SeatChangesMessage } from '../../../shared/live-seats.js';
import { rowNumbers } from '../../../shared/seat-map.js';
import { mineOf, readVersions, type SeatMapRequest, type SeatMaps, type Snapshot } from './seat-map.js';
import type { Database, Db } from '../../db/database.js';

type Queryable = { db: Db; database: Pick<Database, 'query'> };

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
 */
export interface LiveSeats {
  /**
   * Opens a stream: refuses (AppError) before anything is sent when the caller may not see the
   * event, then yields what changed since `lastEventId` and every change after, until `signal`.
   */
  open(
    deps: Queryable,
    request: SeatMapRequest & { lastEventId: string | null },
    signal: AbortSignal | undefined,
  ): Promise<AsyncGenerator<TrackedEnvelope<SeatChangesMessage>, void, unknown>>;
  /** Ends every stream (the server is stopping). */
  stop(): void;
  /** Streams open now, and events followed: for metrics and tests. */
  stats(): { subscribers: number; events: number };
}

export const FOLLOW_MS = 200;
/** A subscriber with more changes than this waiting is sent the whole map instead. */
const MAX_PENDING = 2_000;
/** Diffs kept per event for reconnecting clients. */
const HISTORY = 300;
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
}

interface Watch {
  eventId: string;
  snap: Snapshot;
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
    if (a.status === b.status) continue;
    const numbers = rowNumbers(b);
    for (let j = 0; j < b.status.length; j++) {
      if (a.status[j] !== b.status[j]) changes.push({ row: b.name, number: numbers[j]!, status: b.status[j] as SeatChange['status'] });
    }
  }
  return changes;
}

/** Who holds (unexpired) or bought each of these seats. */
async function holdersOf(deps: Queryable, eventId: string, seats: Array<{ row: string; number: number }>): Promise<Map<string, string>> {
  const rows = await deps.database.query<{ row: string; number: number; holder: string | null }>(
    `SELECT t."rowName" AS row, t."seatNumber" AS number,
            CASE WHEN t.status = 'RESERVED' AND t."holdExpiresAt" > (now() AT TIME ZONE 'UTC') THEN t."heldById"::text
                 WHEN t.status = 'SOLD' THEN o."userId"::text END AS holder
     FROM unnest($2::text[], $3::int[]) AS c(r, n)
     JOIN "Ticket" t ON t."eventId" = $1::uuid AND t."rowName" = c.r AND t."seatNumber" = c.n
     LEFT JOIN "Order" o ON o.id = t."orderId"`,
    [eventId, seats.map((s) => s.row), seats.map((s) => s.number)],
    'tessera_live_seat_holders',
  );
  const holders = new Map<string, string>();
  for (const row of rows) if (row.holder) holders.set(`${row.row}\u0000${row.number}`, row.holder);
  return holders;
}

export function createLiveSeats(options: { seatMaps: SeatMaps; onError: (error: unknown) => void; followMs?: number }): LiveSeats {
  const { seatMaps, onError } = options;
  const followMs = options.followMs ?? FOLLOW_MS;
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
      const snap = await seatMaps.at(db, watch.eventId, current.version);
      if (compareVersions(snap.key, watch.snap.key) <= 0) continue;
      const diff = diffSnapshots(watch.snap, snap);
      let batch: Batch | null = null;
      if (diff !== null) {
        // Read even when nobody signed in watches now: the step is kept for those who reconnect.
        const taken = diff.filter((c) => c.status !== 'A');
        const holders = taken.length > 0 ? await holdersOf(db, watch.eventId, taken) : null;
        batch = { version: snap.key, changes: diff.map((c) => ({ ...c, holder: holders?.get(`${c.row}\u0000${c.number}`) ?? null })) };
      }
      watch.history.push({ from: watch.snap.key, to: snap.key, changes: batch?.changes ?? null });
      if (watch.history.length > HISTORY) watch.history.splice(0, watch.history.length - HISTORY);
      watch.snap = snap;
      if (batch === null || batch.changes.length > 0) publish(watch, batch);
    }
  };

  const schedule = () => {
    if (timer || stopped) return;
    timer = setInterval(() => {
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
    const version = await seatMaps.versionOf(db, request.eventId, request.staff);
    const existing = watches.get(request.eventId);
    if (existing) return existing;
    const creating = seatMaps
      .at(db, request.eventId, version)
      .then((snap): Watch => ({ eventId: request.eventId, snap, subscribers: new Set(), history: [], idleSince: null }));
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

  const message = (sub: Subscriber, eventId: string, batches: Batch[]): SeatChangesMessage => {
    const merged = new Map<string, SeatChange>();
    for (const batch of batches) {
      for (const c of batch.changes) {
        merged.set(`${c.row}\u0000${c.number}`, {
          row: c.row,
          number: c.number,
          status: c.status,
          mine: sub.viewerId !== null && c.holder === sub.viewerId,
        });
      }
    }
    return { kind: 'changes', eventId, version: batches[batches.length - 1]!.version, changes: [...merged.values()] };
  };

  async function* stream(
    db: Queryable,
    watch: Watch,
    request: SeatMapRequest & { lastEventId: string | null },
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
          const next = message(sub, request.eventId, batches);
          yield tracked(next.version, next);
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
