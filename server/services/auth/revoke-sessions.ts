import type { AuthDeps } from './auth-deps.js';

/**
 * Revokes the live sessions that match (all of a user's, one, or all but one) and puts them on the
 * revocation list, so their access tokens stop working on the next request everywhere. Returns the
 * ids newly revoked.
 */
export async function revokeSessions(
  deps: AuthDeps,
  match: { userId: string; sessionId?: string; exceptSessionId?: string },
  why: string,
): Promise<string[]> {
  const sessions = await deps.db.session.findMany({
    where: {
      userId: match.userId,
      revokedAt: null,
      ...(match.sessionId ? { id: match.sessionId } : {}),
      ...(match.exceptSessionId ? { NOT: { id: match.exceptSessionId } } : {}),
    },
    select: { id: true },
  });
  const ids = sessions.map((s) => s.id);
  if (ids.length === 0) return [];
  await deps.db.session.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: new Date(), revokedWhy: why.slice(0, 40) } });
  await deps.revocations.revoke(ids);
  return ids;
}
