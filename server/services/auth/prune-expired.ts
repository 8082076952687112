import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.js';
import { intervalTask } from '../../lib/interval-task.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes what can no longer be used: sessions that expired or were revoked more than a day ago
 * (their refresh tokens go with them; a day is far longer than any access token lives, so the
 * revocation list never needs them) and one-time tokens expired or used more than a day ago.
 * The audit log is kept.
 */
export async function pruneExpiredAuthData(db: Db, now = new Date()): Promise<{ sessions: number; tokens: number }> {
  const before = new Date(now.getTime() - DAY_MS);
  const sessions = await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { revokedAt: { lt: before } }] } });
  const tokens = await db.oneTimeToken.deleteMany({ where: { OR: [{ expiresAt: { lt: before } }, { usedAt: { lt: before } }] } });
  return { sessions: sessions.count, tokens: tokens.count };
}

/** Prunes hourly; safe with several instances (each delete is idempotent). */
export function authPruner(options: { db: Db; log: FastifyBaseLogger }) {
  return intervalTask({
    intervalMs: 60 * 60 * 1000,
    run: async () => {
      const pruned = await pruneExpiredAuthData(options.db);
      if (pruned.sessions + pruned.tokens > 0) options.log.info(pruned, 'expired sessions and tokens deleted');
    },
    onError: (err) => options.log.warn({ err }, 'pruning expired sessions failed; will retry'),
  });
}
