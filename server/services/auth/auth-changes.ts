import type { Database, Listener } from '../../db/database.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Role, StaffStatus } from '../../generated/prisma/enums.js';
import { ACCESS_TOKEN_SECONDS } from '../../lib/jwt.js';

/**
 * What every instance must know about sessions and accounts before it trusts an access token:
 * which sessions were revoked, and whose role or staff status changed, within an access token's
 * lifetime. The database is the truth (the "AuthChange" table, written in the same transaction as
 * the change); each instance follows it: at start, on every NOTIFY the table's trigger sends when a
 * change commits, when its listening connection comes back, and by polling as a backstop. So a
 * logout or a role change holds at once on the instance that made it and on the others within the
 * notification's delay (milliseconds; POLL_MS at most), whatever Redis does, and an authenticated
 * request costs no round trip at all. (Refusing at once everywhere would cost a database read per
 * request; the bounded window is the trade.)
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
  /** This instance made these changes (committed): apply them here now, before the next request. */
  note(changes: AuthChanges): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AuthChanges {
  sessionIds?: readonly string[];
  userId?: string;
}

export const AUTH_CHANNEL = 'tessera_auth';
const TTL_MS = (ACCESS_TOKEN_SECONDS + 60) * 1000;
const POLL_MS = 2_000;
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
    const started = Date.now();
    const backMs = lastSync === 0 ? TTL_MS : Math.min(TTL_MS, started - lastSync + OVERLAP_MS);
    const rows = await db.$queryRaw<Array<{ id: bigint; sessionId: string | null; userId: string | null }>>`
      SELECT id, "sessionId"::text AS "sessionId", "userId"::text AS "userId" FROM "AuthChange"
      WHERE "createdAt" >= (now() AT TIME ZONE 'UTC') - ${backMs}::float8 * interval '1 millisecond'`;
    const now = Date.now();
    for (const row of rows) {
      const key = String(row.id);
      if (seen.has(key)) continue;
      seen.set(key, now);
      if (row.sessionId) noteSessions([row.sessionId], now);
      if (row.userId) noteUser(row.userId, now);
    }
    lastSync = started;
    prune(now);
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
    note(changes) {
      const now = Date.now();
      if (changes.sessionIds) noteSessions(changes.sessionIds, now);
      if (changes.userId) noteUser(changes.userId, now);
    },
    async start() {
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
    },
  };
}
