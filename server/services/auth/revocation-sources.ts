import type { Db } from '../../db/database.js';
import { ACCESS_TOKEN_SECONDS } from '../../lib/jwt.js';

/**
 * Sessions revoked recently enough that an access token of theirs may still be unexpired: revoked
 * session rows, and the sessions of accounts deleted since (their rows are gone; the audit row of
 * the deletion lists them).
 */
export async function recentlyRevokedSessions(db: Db): Promise<{ id: string; revokedAt: Date }[]> {
  const since = new Date(Date.now() - ACCESS_TOKEN_SECONDS * 1000);
  const [sessions, deletions] = await Promise.all([
    db.session.findMany({ where: { revokedAt: { gte: since } }, select: { id: true, revokedAt: true } }),
    db.authEvent.findMany({ where: { type: 'user_delete', createdAt: { gte: since } }, select: { detail: true, createdAt: true } }),
  ]);
  const deleted = deletions.flatMap((event) => {
    const ids = (event.detail as { sessionIds?: unknown } | null)?.sessionIds;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').map((id) => ({ id, revokedAt: event.createdAt })) : [];
  });
  return [...sessions.map((r) => ({ id: r.id, revokedAt: r.revokedAt! })), ...deleted];
}

/** The database's word on one session, when the shared revocation list cannot answer: gone counts as revoked. */
export async function isSessionRevoked(db: Db, sessionId: string): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true, expiresAt: true } });
  return !session || session.revokedAt !== null || session.expiresAt <= new Date();
}
