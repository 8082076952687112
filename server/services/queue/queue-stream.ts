import type { QueueStatus } from '../../../shared/queue.js';
import type { AppDeps } from '../../deps.js';
import { AppError } from '../errors.js';
import { inDraw, latestEntry, rankOf, readRoom, statusOf, waitingCount, type EntryRow, type RoomRow } from './waiting-room.js';

type Deps = Pick<AppDeps, 'db' | 'database' | 'config'>;

/** How often the stream looks at each watched room (one query per room and instance, however many watch). */
export const QUEUE_TICK_MS = 1_000;
/** An unchanged status is sent again after this many ticks (15 s), so a quiet stream stays open. */
const KEEP_ALIVE_TICKS = 15;

interface Tick {
  room: RoomRow | null;
  waiting: number;
  at: Date;
}

interface Followed {
  watchers: number;
  timer: NodeJS.Timeout;
  /** Resolves with the next reading; replaced after each one. */
  next: Promise<Tick>;
  resolve: (tick: Tick) => void;
}

export interface QueueStreams {
  /** The caller's status now, then again whenever it changes (position, admission, the pass), until `signal`. */
  open(
    deps: Deps,
    input: { eventId: string; userId: string; staff: boolean },
    signal: AbortSignal | undefined,
  ): AsyncGenerator<QueueStatus, void, unknown>;
  stop(): void;
  stats(): { rooms: number; watchers: number };
}

/**
 * `queue.status`: each instance reads each watched room once per QUEUE_TICK_MS (its settings, how
 * many were admitted, how many wait) and every watcher works out its own status from that: a
 * position is the watcher's rank, counted once, minus the admitted count, so a second of 5,000
 * watchers costs one query, not 5,000. A watcher reads its own entry only when something about it
 * may have changed (its turn came; it holds a pass; it has no place yet).
 */
export function createQueueStreams(options: { onError: (error: unknown) => void }): QueueStreams {
  const rooms = new Map<string, Followed>();
  let stopped = false;
  const stopping = new AbortController();

  function follow(deps: Deps, eventId: string): Followed {
    let followed = rooms.get(eventId);
    if (followed) return followed;
    let resolve!: (tick: Tick) => void;
    const next = new Promise<Tick>((r) => (resolve = r));
    const timer = setInterval(() => {
      const f = rooms.get(eventId);
      if (!f) return;
      void (async () => {
        const room = await readRoom(deps, eventId);
        const tick = { room, waiting: await waitingCount(deps, eventId), at: new Date() };
        const done = f.resolve;
        f.next = new Promise<Tick>((r) => (f.resolve = r));
        done(tick);
      })().catch(options.onError);
    }, QUEUE_TICK_MS);
    timer.unref();
    followed = { watchers: 0, timer, next, resolve };
    rooms.set(eventId, followed);
    return followed;
  }

  function unfollow(eventId: string) {
    const f = rooms.get(eventId);
    if (!f || --f.watchers > 0) return;
    clearInterval(f.timer);
    rooms.delete(eventId);
  }

  async function* stream(deps: Deps, input: { eventId: string; userId: string; staff: boolean }, signal: AbortSignal | undefined) {
    const followed = follow(deps, input.eventId);
    followed.watchers++;
    const aborted = new Promise<null>((resolve) => {
      if (signal?.aborted) resolve(null);
      signal?.addEventListener('abort', () => resolve(null), { once: true });
      stopping.signal.addEventListener('abort', () => resolve(null), { once: true });
    });
    try {
      let room = await readRoom(deps, input.eventId);
      let entry: EntryRow | null = await latestEntry(deps, input.eventId, input.userId);
      let rank: number | undefined;
      let last = '';
      let ticks = 0;
      let sentAt = 0;
      let now = new Date();
      let waiting = await waitingCount(deps, input.eventId);
      for (;;) {
        let status: QueueStatus;
        if (!room || room.doorsOpen || input.staff) {
          status = await statusOf(deps, room ?? fallbackRoom(input.eventId), null, 0, now);
          status = { ...status, state: 'open' };
        } else {
          if (entry?.state === 'WAITING' && !inDraw(room, now) && rank === undefined) rank = await rankOf(deps, input.eventId, entry.place);
          status = await statusOf(deps, room, entry, waiting, now, rank);
        }
        // The pass is signed afresh each time: compare without it, and send it when it is new.
        const key = JSON.stringify({ ...status, pass: status.pass ? [status.pass.useBy, status.pass.expiresAt] : null });
        // Unchanged, it is sent again every KEEP_ALIVE_TICKS: the stream's keep-alive (see trpc/init.ts).
        if (key !== last || ticks - sentAt >= KEEP_ALIVE_TICKS) {
          last = key;
          sentAt = ticks;
          yield status;
        }
        const tick = await Promise.race([followed.next, aborted]);
        if (!tick || stopped) return;
        ticks++;
        room = tick.room;
        waiting = tick.waiting;
        now = tick.at;
        if (!room) continue;
        const turnCame = entry?.state === 'WAITING' && rank !== undefined && rank - room.admitted <= 0;
        const holdsPass = entry?.state === 'ADMITTED' || entry?.state === 'SHOPPING';
        if (
          turnCame ||
          (holdsPass && ticks % 5 === 0) ||
          (!entry && ticks % 2 === 0) ||
          (entry && !holdsPass && entry.state !== 'WAITING' && ticks % 5 === 0)
        ) {
          const fresh = await latestEntry(deps, input.eventId, input.userId);
          if (fresh?.id !== entry?.id) rank = undefined;
          entry = fresh;
        }
      }
    } finally {
      unfollow(input.eventId);
    }
  }

  return {
    open(deps, input, signal) {
      if (stopped) throw new AppError('BUSY', 'The server is restarting; please reconnect.');
      return stream(deps, input, signal);
    },
    stop() {
      stopped = true;
      stopping.abort();
      for (const f of rooms.values()) clearInterval(f.timer);
      rooms.clear();
    },
    stats() {
      let watchers = 0;
      for (const f of rooms.values()) watchers += f.watchers;
      return { rooms: rooms.size, watchers };
    },
  };
}

function fallbackRoom(eventId: string): RoomRow {
  return { eventId, startsAt: new Date(0), ratePerMinute: 0, doorsOpen: true, admitted: 0 };
}
