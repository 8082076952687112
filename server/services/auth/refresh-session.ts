import crypto from 'node:crypto';
import { open, seal } from '../../lib/secret-box.js';
import { hashToken, randomToken } from '../../lib/tokens.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from '../users/user-select.js';
import type { AuthDeps } from './auth-deps.js';
import { revokeSessions } from './revoke-sessions.js';
import { issueAccessToken, type SessionTokens } from './start-session.js';

const ENDED = 'Your session has ended. Please sign in again.';

/**
 * How long after a rotation the old refresh token still yields the same successor: two tabs (or a
 * retried request) refreshing at once must not sign the user out. GoTrue uses the same 10 s.
 */
export const REUSE_WINDOW_MS = 10_000;

/** The successor is sealed under a key only the old token's holder can derive; the database alone cannot open it. */
const successorKey = (oldToken: string) => crypto.createHash('sha256').update(`tessera-refresh-successor:${oldToken}`).digest('hex');

interface Found {
  rotatedAt: Date | null;
  successor: string | null;
  session: { id: string; userId: string; revokedAt: Date | null; expiresAt: Date };
}

/**
 * Trades a refresh token for a new access token and a new refresh token (rotation). The same old
 * token presented again within REUSE_WINDOW_MS gets the same successor; later, or once the
 * successor itself was used, it is a sign the token leaked: the whole session is revoked and the
 * reuse audited.
 */
export async function refreshSession(deps: AuthDeps, refreshToken: string, meta: RequestMeta): Promise<{ user: UserRow; tokens: SessionTokens }> {
  const tokenHash = hashToken(refreshToken);
  const find = () =>
    deps.db.refreshToken.findUnique({
      where: { tokenHash },
      select: { rotatedAt: true, successor: true, session: { select: { id: true, userId: true, revokedAt: true, expiresAt: true } } },
    });
  const found = await find();
  if (!found) throw new AppError('SESSION_ENDED', ENDED);
  const session = found.session;
  if (session.revokedAt || session.expiresAt <= new Date()) throw new AppError('SESSION_ENDED', ENDED);
  if (found.rotatedAt) return replay(deps, refreshToken, found, meta);

  const next = randomToken();
  const outcome = await deps.db.$transaction(async (tx) => {
    const now = new Date();
    const rotated = await tx.refreshToken.updateMany({
      where: { tokenHash, rotatedAt: null },
      data: { rotatedAt: now, successor: seal(next, successorKey(refreshToken)) },
    });
    if (rotated.count !== 1) return null;
    await tx.refreshToken.create({ data: { tokenHash: hashToken(next), sessionId: session.id }, select: { tokenHash: true } });
    return tx.session.update({
      where: { id: session.id },
      data: { lastUsedAt: now, ip: meta.ip?.slice(0, 64) ?? null, userAgent: meta.userAgent?.slice(0, 300) ?? null },
      select: { expiresAt: true, user: { select: userSelect } },
    });
  });
  if (!outcome) {
    // A concurrent refresh with the same token won the rotation: answer with its successor.
    const raced = await find();
    if (!raced) throw new AppError('SESSION_ENDED', ENDED);
    return replay(deps, refreshToken, raced, meta);
  }
  return answer(deps, outcome.user, session.id, outcome.expiresAt, next);
}

/** An already rotated token: its successor again within the window while that is still unused, else reuse. */
async function replay(deps: AuthDeps, oldToken: string, found: Found, meta: RequestMeta) {
  const { session } = found;
  const fresh = found.rotatedAt !== null && Date.now() - found.rotatedAt.getTime() <= REUSE_WINDOW_MS;
  if (fresh && found.successor) {
    let successor: string | null;
    try {
      successor = open(found.successor, successorKey(oldToken));
    } catch {
      successor = null;
    }
    if (successor) {
      const live = await deps.db.refreshToken.findUnique({
        where: { tokenHash: hashToken(successor) },
        select: { rotatedAt: true, session: { select: { revokedAt: true, expiresAt: true, user: { select: userSelect } } } },
      });
      if (live && !live.rotatedAt && !live.session.revokedAt && live.session.expiresAt > new Date()) {
        return answer(deps, live.session.user, session.id, live.session.expiresAt, successor);
      }
    }
  }
  await revokeSessions(deps, { userId: session.userId, sessionId: session.id }, 'refresh_reuse');
  await recordAuthEvent(deps.db, { type: 'refresh_reuse', userId: session.userId, detail: { sessionId: session.id } }, meta);
  throw new AppError('SESSION_ENDED', ENDED);
}

function answer(deps: AuthDeps, user: UserRow, sessionId: string, expiresAt: Date, refreshToken: string) {
  // Role and staff approval are read afresh, so a changed role shows in the new token.
  const access = issueAccessToken(deps.config, user, sessionId, expiresAt);
  return {
    user,
    tokens: { sessionId, accessToken: access.token, accessExpiresAt: access.expiresAt, refreshToken, refreshExpiresAt: expiresAt },
  };
}
