import type { AppDeps } from '../../deps.js';
import type { SessionInfo } from '../../../shared/auth.js';

/** The user's live sessions (not revoked, not expired), most recently used first. */
export async function listSessions(deps: Pick<AppDeps, 'db'>, userId: string, currentSessionId: string): Promise<SessionInfo[]> {
  const sessions = await deps.db.session.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastUsedAt: 'desc' }, { id: 'asc' }],
    take: 100,
    select: { id: true, createdAt: true, lastUsedAt: true, userAgent: true, ip: true },
  });
  return sessions.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    userAgent: s.userAgent,
    ip: s.ip,
    current: s.id === currentSessionId,
  }));
}
