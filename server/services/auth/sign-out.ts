import { hashToken } from '../../lib/tokens.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import type { AuthDeps } from './auth-deps.js';
import { revokeSessions } from './revoke-sessions.js';

/**
 * Ends one session: the caller's (from its access token) or, when the access token has already
 * expired, the one a refresh token belongs to. Signing out twice, or anonymously, is fine.
 */
export async function signOut(
  deps: AuthDeps,
  who: { userId?: string; sessionId?: string; refreshToken?: string | null },
  meta: RequestMeta,
): Promise<void> {
  let session = who.userId && who.sessionId ? { id: who.sessionId, userId: who.userId } : null;
  if (!session && who.refreshToken) {
    const found = await deps.db.refreshToken.findUnique({
      where: { tokenHash: hashToken(who.refreshToken) },
      select: { session: { select: { id: true, userId: true } } },
    });
    session = found?.session ?? null;
  }
  if (!session) return;
  const revoked = await revokeSessions(deps, { userId: session.userId, sessionId: session.id }, 'logout');
  if (revoked.length > 0) {
    await recordAuthEvent(deps.db, { type: 'logout', userId: session.userId, detail: { sessionId: session.id } }, meta);
  }
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(deps: AuthDeps, userId: string, meta: RequestMeta): Promise<number> {
  const revoked = await revokeSessions(deps, { userId }, 'logout_all');
  await recordAuthEvent(deps.db, { type: 'logout_all', userId, detail: { revoked: revoked.length } }, meta);
  return revoked.length;
}

/** Ends one of the user's own sessions; someone else's session id is NOT_FOUND, as if it did not exist. */
export async function revokeOwnSession(deps: AuthDeps, userId: string, sessionId: string, meta: RequestMeta): Promise<void> {
  const session = await deps.db.session.findFirst({ where: { id: sessionId, userId }, select: { id: true } });
  if (!session) throw new AppError('SESSION_NOT_FOUND', 'No such session.');
  const revoked = await revokeSessions(deps, { userId, sessionId }, 'revoked_by_user');
  if (revoked.length > 0) await recordAuthEvent(deps.db, { type: 'session_revoked', userId, detail: { sessionId } }, meta);
}
