import type { FastifyRequest } from 'fastify';
import type { Session, User } from '../../../shared/auth.js';
import { clearSessionCookies, cookieNames, readCookie, setSessionCookies } from '../../lib/cookies.js';
import type { SessionTokens } from '../../services/auth/start-session.js';
import type { Context } from '../../trpc/context.js';

/** Sets the access cookie, and the refresh cookie when a refresh token is given. Server-side callers (no reply) get none. */
export function setCookies(ctx: Context, tokens: Pick<SessionTokens, 'accessToken' | 'accessExpiresAt'> & Partial<SessionTokens>): void {
  if (ctx.res) setSessionCookies(ctx.res, ctx.deps.config.secureCookies, tokens);
}

export function clearCookies(ctx: Context): void {
  if (ctx.res) clearSessionCookies(ctx.res, ctx.deps.config.secureCookies);
}

export function refreshCookie(ctx: Context): string | null {
  return ctx.req ? readCookie(ctx.req, cookieNames(ctx.deps.config.secureCookies).refresh) : null;
}

export function toSession(user: User, tokens: Pick<SessionTokens, 'accessToken' | 'accessExpiresAt'>): Session {
  return { user, accessToken: tokens.accessToken, expiresAt: tokens.accessExpiresAt.toISOString() };
}

/**
 * `Authorization: Basic base64(email:password)` -> the pair; null without such a header,
 * 'malformed' when the header names Basic but does not decode to email:password.
 */
export function basicCredentials(req: FastifyRequest | null): { email: string; password: string } | null | 'malformed' {
  const header = req?.headers.authorization;
  if (typeof header !== 'string' || !/^basic(\s|$)/i.test(header)) return null;
  const encoded = header.slice(5).trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length > 4096) return 'malformed';
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 1) return 'malformed';
  return { email: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
