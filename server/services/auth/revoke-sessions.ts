import { recordAuthChanges } from './auth-changes.js';
import type { AuthDeps } from './auth-deps.js';

/**
 * Revokes the live sessions that match (all of a user's, one, or all but one), in one transaction
 * with their "AuthChange" rows, so their access tokens stop working from the next request on (on
 * other instances, once they are notified: see auth-changes.ts). Returns the ids newly revoked.
 */
export async function revokeSessions(
  deps: AuthDeps,
  match: { userId: string; sessionId?: string; exceptSessionId?: string },
  why: string,
): Promise<string[]> {
  const ids = await deps.db.$transaction(async (tx) => {
    const rows = await tx.session.updateManyAndReturn({
      where: {
        userId: match.userId,
        revokedAt: null,
        ...(match.sessionId ? { id: match.sessionId } : {}),
        ...(match.exceptSessionId ? { NOT: { id: match.exceptSessionId } } : {}),
      },
      data: { revokedAt: new Date(), revokedWhy: why.slice(0, 40) },
      select: { id: true },
    });
    const revoked = rows.map((r) => r.id);
    await recordAuthChanges(tx, { sessionIds: revoked });
    return revoked;
  });
  await deps.authState.note({ sessionIds: ids });
  return ids;
}
