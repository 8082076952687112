import type { Config } from '../env.js';
import { cookieNames, readCookie } from '../lib/cookies.js';
import { verifyAccessToken, type VerifiedClaims } from '../lib/jwt.js';
import type { AuthState } from '../services/auth/auth-changes.js';
import type { Authenticate } from './deps.js';

/**
 * Who is calling: the `Authorization: Bearer` token when the header names that scheme, else the
 * access-token cookie. An explicit Bearer header wins and is never mixed with the cookie: a bad
 * Bearer token makes the caller anonymous even if a good cookie rides along. Any invalid, expired
 * or revoked token is anonymous too, so protected procedures answer 401. The role is the token's,
 * unless the account's role or staff status changed since the token was signed: then the
 * database's, so a promotion or a demotion holds from the next request on, on every instance
 * (see auth-changes.ts for how).
 */
export function createAuthenticate(config: Config, authState: AuthState): Authenticate {
  const names = cookieNames(config.secureCookies);
  const verified = verifiedTokens(config.jwtSecret);
  return async (req) => {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && /^bearer(\s|$)/i.test(header);
    const token = bearer ? header.slice(6).trim() : readCookie(req, names.access);
    if (!token) return null;
    const claims = verified(token);
    if (!claims) return null;
    // Rarely (this instance has not heard from the database for seconds): read before trusting.
    const catchingUp = authState.catchUp();
    if (catchingUp) await catchingUp;
    if (authState.isRevoked(claims.sid)) return null;
    const current = await authState.currentRole(claims.sub, claims.iat, claims);
    if (!current) return null;
    return {
      user: { id: claims.sub, role: current.role, staffStatus: current.staffStatus, sessionId: claims.sid },
      via: bearer ? 'bearer' : 'cookie',
    };
  };
}

/** Tokens remembered at once; a browser or script sends the same token for up to 15 minutes. */
const MAX_REMEMBERED = 10_000;

/**
 * verifyAccessToken, remembering good tokens until they expire: a token's signature and claims do
 * not change, so checking them once per token (not per request) is as strict and much cheaper.
 * Revocations and role changes are still checked on every request.
 */
function verifiedTokens(secret: string): (token: string) => VerifiedClaims | null {
  const remembered = new Map<string, VerifiedClaims>();
  return (token) => {
    const known = remembered.get(token);
    if (known && known.exp * 1000 > Date.now()) return known;
    if (known) remembered.delete(token);
    const claims = verifyAccessToken(secret, token);
    if (claims) {
      if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
      remembered.set(token, claims);
    }
    return claims;
  };
}
