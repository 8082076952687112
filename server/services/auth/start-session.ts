import type { Role, StaffStatus } from '../../../shared/auth.js';
import type { Config } from '../../env.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { signAccessToken } from '../../lib/jwt.js';
import { hashToken, randomToken } from '../../lib/tokens.js';
import type { RequestMeta } from '../audit/record-event.js';

/** A session (one sign-in on one device) lasts 30 days from sign-in, however often it is refreshed. */
export const SESSION_DAYS = 30;

export interface SessionTokens {
  sessionId: string;
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
}

interface TokenSubject {
  id: string;
  role: Role;
  staffStatus: StaffStatus;
}

/** A fresh access token for a session; it never outlives the session. */
export function issueAccessToken(config: Config, user: TokenSubject, sessionId: string, sessionExpiresAt: Date) {
  return signAccessToken(config.jwtSecret, { sub: user.id, role: user.role, staffStatus: user.staffStatus, sid: sessionId }, sessionExpiresAt);
}

/** Opens a session with its first refresh token (only its hash is stored) and an access token. */
export async function startSession(db: Prisma.TransactionClient, config: Config, user: TokenSubject, meta: RequestMeta): Promise<SessionTokens> {
  const refreshToken = randomToken();
  const session = await db.session.create({
    data: {
      userId: user.id,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000),
      refreshTokens: { create: { tokenHash: hashToken(refreshToken) } },
    },
    select: { id: true, expiresAt: true },
  });
  const access = issueAccessToken(config, user, session.id, session.expiresAt);
  return {
    sessionId: session.id,
    accessToken: access.token,
    accessExpiresAt: access.expiresAt,
    refreshToken,
    refreshExpiresAt: session.expiresAt,
  };
}
