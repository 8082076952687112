import { hashToken, randomToken } from '../../lib/tokens.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from '../users/user-select.js';
import type { AuthDeps } from './auth-deps.js';
import { revokeSessions } from './revoke-sessions.js';
import { issueAccessToken, type SessionTokens } from './start-session.js';

const ENDED = 'Your session has ended. Please sign in again.';

/**
 * Trades a refresh token for a new access token and a new refresh token (rotation). A token that
 * was already rotated is a sign it leaked: the whole session is revoked and the reuse audited.
 * Two refreshes racing with one token count as reuse too, since only one can win.
 */
export async function refreshSession(deps: AuthDeps, refreshToken: string, meta: RequestMeta): Promise<{ user: UserRow; tokens: SessionTokens }> {
  const tokenHash = hashToken(refreshToken);
  const found = await deps.db.refreshToken.findUnique({
    where: { tokenHash },
    select: { rotatedAt: true, session: { select: { id: true, userId: true, revokedAt: true, expiresAt: true } } },
  });
  if (!found) throw new AppError('UNAUTHORIZED', ENDED);
  const session = found.session;
  if (found.rotatedAt) return reuse(deps, session, meta);
  if (session.revokedAt || session.expiresAt <= new Date()) throw new AppError('UNAUTHORIZED', ENDED);

  const next = randomToken();
  const outcome = await deps.db.$transaction(async (tx) => {
    const now = new Date();
    const rotated = await tx.refreshToken.updateMany({ where: { tokenHash, rotatedAt: null }, data: { rotatedAt: now } });
    if (rotated.count !== 1) return null;
    await tx.refreshToken.create({ data: { tokenHash: hashToken(next), sessionId: session.id }, select: { tokenHash: true } });
    const updated = await tx.session.update({
      where: { id: session.id },
      data: { lastUsedAt: now, ip: meta.ip?.slice(0, 64) ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null },
      select: { expiresAt: true, user: { select: userSelect } },
    });
    return updated;
  });
  if (!outcome) return reuse(deps, session, meta);

  // Role and staff approval are read afresh, so a changed role shows in the new token.
  const access = issueAccessToken(deps.config, outcome.user, session.id, outcome.expiresAt);
  return {
    user: outcome.user,
    tokens: {
      sessionId: session.id,
      accessToken: access.token,
      accessExpiresAt: access.expiresAt,
      refreshToken: next,
      refreshExpiresAt: outcome.expiresAt,
    },
  };
}

async function reuse(deps: AuthDeps, session: { id: string; userId: string }, meta: RequestMeta): Promise<never> {
  await revokeSessions(deps, { userId: session.userId, sessionId: session.id }, 'refresh_reuse');
  await recordAuthEvent(deps.db, { type: 'refresh_reuse', userId: session.userId, detail: { sessionId: session.id } }, meta);
  throw new AppError('UNAUTHORIZED', ENDED);
}
