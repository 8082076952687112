import type { AppDeps } from '../../deps.js';
import { intervalTask } from '../../lib/interval-task.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes what can no longer be used: sessions that expired or were revoked more than a day ago
 * (their refresh tokens go with them; a day is far longer than any access token lives, so the
 * revocation list never needs them), one-time tokens expired or used more than a day ago, the
 * followed auth changes of more than a day ago, and expired sign-in counters.
 * The audit log is kept.
 */
export async function pruneExpiredAuthData(
  deps: Pick<AppDeps, 'db'>,
  now = new Date(),
): Promise<{ sessions: number; tokens: number; changes: number; counters: number }> {
  const before = new Date(now.getTime() - DAY_MS);
  const sessions = await deps.db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } });
  const tokens = await deps.db.oneTimeToken.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { usedAt: { lt: before } }] } });
  // Followed for an access token's lifetime (15 minutes); a day later nobody needs them.
  const changes = await deps.db.authChange.deleteMany({ where: { createdAt: { lt: before } } });
  const counters = await deps.db.authCounter.deleteMany({ where: { expiresAt: { lt: now } } });
  return { sessions: sessions.count, tokens: tokens.count, changes: changes.count, counters: counters.count };
}

/** Prunes hourly; safe with several instances (each delete is idempotent). */
export function authPruner(deps: Pick<AppDeps, 'db' | 'log'>) {
  return intervalTask({
    intervalMs: 60 * 60 * 1000,
    run: async () => {
      const pruned = await pruneExpiredAuthData(deps);
      if (pruned.sessions + pruned.tokens + pruned.changes > 0) deps.log.info(pruned, 'expired sessions and tokens deleted');
    },
    onError: (err) => deps.log.warn({ err }, 'pruning expired sessions failed; will retry'),
  });
}
