import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Listener } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Role, StaffStatus } from '../../generated/prisma/enums.js';
import { ACCESS_TOKEN_SECONDS } from '../../lib/jwt.js';

/**
 * What every instance must know about sessions and accounts before it trusts an access token:
 * which sessions were revoked, and whose role or staff status changed, within an access token's
 * lifetime. The database is the truth (the "AuthChange" table, written in the same transaction as
 * the change); each instance follows it: at start, on every NOTIFY the table's trigger sends when a
 * change commits, when its listening connection comes back, and by polling as a backstop. An
 * authenticated request costs no round trip.
 *
 * "Refused everywhere from the next request on" holds by two rules:
 * - after each read it applies, an instance records in "AuthFollower" the database time at which
 *   that read began; an instance that revokes waits, before it answers, until every other
 *   instance has recorded a read that began after the revocation committed (milliseconds: the
 *   NOTIFY wakes them), or has not read for STALE_MS;
 * - an instance whose latest applied read began more than STALE_MS ago (database cut off, process
 *   paused, listener lost) trusts no token until it has read again.
 * So an instance either has the change or reads before answering; Redis plays no part.
 */
export interface AuthState {
  isRevoked(sessionId: string): boolean;
  /**
   * The role and staff status to use for a token issued at `issuedAtSeconds`: the token's own,
   * unless the account changed since, then the database's (null: the account is gone).
   */
  currentRole(
    userId: string,
    issuedAtSeconds: number,
    claimed: { role: Role; staffStatus: StaffStatus },
  ): { role: Role; staffStatus: StaffStatus } | null | Promise<{ role: Role; staffStatus: StaffStatus } | null>;
  /**
   * This instance made these changes (committed): applies them here at once, and resolves when
   * every other instance has them too (or would read before trusting any token).
   */
  note(changes: AuthChanges): Promise<void>;
  /**
   * Null when what this instance knows is recent enough to trust; else a read of the changes to
   * await before trusting a token (it rejects when the database cannot be reached).
   */
  catchUp(): Promise<void> | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AuthChanges {
  sessionIds?: readonly string[];
  userId?: string;
}

export const AUTH_CHANNEL = 'tessera_auth';
const TTL_MS = (ACCESS_TOKEN_SECONDS + 60) * 1000;
const POLL_MS = 1_000;
/** An instance whose latest applied read began longer ago than this reads again before it trusts a token. */
export const STALE_MS = 3_000;
/** How often a revoking instance looks whether the others have followed. */
const FOLLOWED_POLL_MS = 10;
/** Re-read this far back on every poll: a change committed late still has an older createdAt. */
const OVERLAP_MS = 30_000;
/** Tokens signed up to this long after a change is learnt are checked too (app hosts' clocks differ a little). */
const CLOCK_SLACK_MS = 2_000;

/** Records changes inside the caller's transaction; the trigger on "AuthChange" notifies on commit. */
export async function recordAuthChanges(tx: Prisma.TransactionClient, changes: AuthChanges): Promise<void> {
  const sessionIds = [...(changes.sessionIds ?? [])];
  if (sessionIds.length > 0) {
    await tx.$executeRaw`
      INSERT INTO "AuthChange" ("sessionId", "createdAt") SELECT s, now() AT TIME ZONE 'UTC' FROM unnest(${sessionIds}::uuid[]) AS s`;
  }
  if (changes.userId) {
    await tx.$executeRaw`INSERT INTO "AuthChange" ("userId", "createdAt") VALUES (${changes.userId}::uuid, now() AT TIME ZONE 'UTC')`;
  }
}

export function createAuthState(options: { database: Database; onError: (error: unknown, what: string) => void }): AuthState {
  const { database } = options;
  const db = database.prisma;
  const revoked = new Map<string, number>();
  /** userId -> when this instance learnt of the latest change. */
  const changed = new Map<string, number>();
  /** userId -> the role read after the latest change, and when it was read. */
  const roles = new Map<string, { role: Role; staffStatus: StaffStatus; readAt: number }>();
  const seen = new Map<string, number>();
  let lastSync = 0;
  let syncing: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let listener: Listener | null = null;
  const instanceId = crypto.randomUUID();
  /** performance.now() when the latest applied read began; -Infinity before the first. */
  let appliedAt = Number.NEGATIVE_INFINITY;

  const noteSessions = (ids: readonly string[], now: number) => {
    for (const id of ids) revoked.set(id, now + TTL_MS);
  };
  const noteUser = (userId: string, now: number) => {
    changed.set(userId, now);
    roles.delete(userId);
  };

  const prune = (now: number) => {
    for (const [id, until] of revoked) if (until <= now) revoked.delete(id);
    for (const [id, at] of changed) if (at + TTL_MS <= now) changed.delete(id);
    for (const [id, at] of roles) if (at.readAt + TTL_MS <= now) roles.delete(id);
    for (const [id, at] of seen) if (at + TTL_MS <= now) seen.delete(id);
  };

  const syncOnce = async () => {
    const startedAt = performance.now();
    const started = Date.now();
    const backMs = lastSync === 0 ? TTL_MS : Math.min(TTL_MS, started - lastSync + OVERLAP_MS);
    // One statement, so "at" (when its transaction began) is no later than the snapshot it reads.
    const [read] = await database.query<{ at: string; changes: Array<{ id: string; sessionId: string | null; userId: string | null }> }>(
      `SELECT now()::text AS at, coalesce((
         SELECT json_agg(json_build_object('id', id::text, 'sessionId', "sessionId"::text, 'userId', "userId"::text))
         FROM "AuthChange" WHERE "createdAt" >= (now() AT TIME ZONE 'UTC') - $1::float8 * interval '1 millisecond'
       ), '[]'::json) AS changes`,
      [backMs],
    );
    const now = Date.now();
    for (const row of read!.changes) {
      if (seen.has(row.id)) continue;
      seen.set(row.id, now);
      if (row.sessionId) noteSessions([row.sessionId], now);
      if (row.userId) noteUser(row.userId, now);
    }
    lastSync = started;
    appliedAt = startedAt;
    prune(now);
    // Only now, with the changes applied, may a revoking instance count on this one.
    await database.query(
      `INSERT INTO "AuthFollower" ("instanceId", "syncedAt") VALUES ($1::uuid, $2::timestamptz)
       ON CONFLICT ("instanceId") DO UPDATE SET "syncedAt" = GREATEST("AuthFollower"."syncedAt", EXCLUDED."syncedAt")`,
      [instanceId, read!.at],
    );
  };

  /**
   * Resolves once every other instance has applied a read that began after this moment (so after
   * the caller's committed change), or has read nothing for STALE_MS (so it reads before trusting
   * a token). If the database cannot be asked, waiting STALE_MS is enough by the same rule.
   */
  const followedEverywhere = async (): Promise<void> => {
    const giveUpAt = performance.now() + STALE_MS + 1_000;
    let since: string | null = null;
    try {
      for (;;) {
        const rows: Array<{ since: string; behind: number }> = await database.query(
          `SELECT coalesce($2::timestamptz, now())::text AS since, count(f."instanceId")::int AS behind
           FROM (SELECT 1) AS one LEFT JOIN "AuthFollower" AS f
             ON f."instanceId" <> $1::uuid AND f."syncedAt" < coalesce($2::timestamptz, now())
            AND f."syncedAt" > now() - $3::float8 * interval '1 millisecond'`,
          [instanceId, since, STALE_MS],
        );
        since = rows[0]!.since;
        if (rows[0]!.behind === 0) return;
        if (performance.now() > giveUpAt) break;
        await sleep(FOLLOWED_POLL_MS);
      }
    } catch (error) {
      options.onError(error, 'waiting for the other instances to follow a revocation');
    }
    await sleep(Math.max(0, giveUpAt - performance.now()));
  };

  /** One sync at a time; a request for another while one runs makes exactly one more. */
  const sync = (): Promise<void> => {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      try {
        do {
          again = false;
          await syncOnce();
        } while (again);
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  };
  const syncQuietly = () => {
    sync().catch((error: unknown) => options.onError(error, 'reading session revocations and role changes'));
  };

  return {
    isRevoked(sessionId) {
      const until = revoked.get(sessionId);
      return until !== undefined && until > Date.now();
    },
    currentRole(userId, issuedAtSeconds, claimed) {
      const at = changed.get(userId);
      if (at === undefined || issuedAtSeconds * 1000 > at + CLOCK_SLACK_MS) return claimed;
      const known = roles.get(userId);
      if (known && known.readAt >= at) return known;
      return db.user.findUnique({ where: { id: userId }, select: { role: true, staffStatus: true } }).then((user) => {
        if (user && (changed.get(userId) ?? 0) <= at) roles.set(userId, { ...user, readAt: Date.now() });
        return user;
      });
    },
    async note(changes) {
      const now = Date.now();
      if (changes.sessionIds) noteSessions(changes.sessionIds, now);
      if (changes.userId) noteUser(changes.userId, now);
      await followedEverywhere();
    },
    catchUp() {
      return performance.now() - appliedAt > STALE_MS ? sync() : null;
    },
    async start() {
      await database.query(`DELETE FROM "AuthFollower" WHERE "syncedAt" < now() - interval '1 day'`);
      await sync();
      listener = await database.listen(AUTH_CHANNEL, {
        onNotify: syncQuietly,
        onConnect: syncQuietly,
        onError: (error) => options.onError(error, 'listening for session revocations'),
      });
      timer = setInterval(syncQuietly, POLL_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await listener?.close();
      listener = null;
      await syncing?.catch(() => {});
      // Nobody waits for an instance that is gone (it would be skipped after STALE_MS anyway).
      await database.query(`DELETE FROM "AuthFollower" WHERE "instanceId" = $1::uuid`, [instanceId]).catch(() => {});
    },
  };
}
