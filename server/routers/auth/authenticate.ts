import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import type { Config } from '../../env.js';
import { cookieNames, readCookie } from '../../lib/cookies.js';
import { verifyAccessToken } from '../../lib/jwt.js';
import type { Revocations } from '../../lib/revocations.js';

/**
 * Who is calling: the `Authorization: Bearer` token when the header names that scheme, else the
 * access-token cookie. An explicit Bearer header wins and is never mixed with the cookie: a bad
 * Bearer token makes the caller anonymous even if a good cookie rides along. Any invalid, expired
 * or revoked token is anonymous too, so protected procedures answer 401.
 */
export function createAuthenticate(config: Config, revocations: Revocations): AppDeps['authenticate'] {
  const names = cookieNames(config.secureCookies);
  return async (req: FastifyRequest) => {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && /^bearer(\s|$)/i.test(header);
    const token = bearer ? header.slice(6).trim() : readCookie(req, names.access);
    if (!token) return null;
    const claims = verifyAccessToken(config.jwtSecret, token);
    if (!claims) return null;
    if (await revocations.isRevoked(claims.sid)) return null;
    return {
      user: { id: claims.sub, role: claims.role, staffStatus: claims.staffStatus, sessionId: claims.sid },
      via: bearer ? 'bearer' : 'cookie',
    };
  };
}
