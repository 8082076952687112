import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Session cookies. The access token goes everywhere (Path=/); the refresh token only to the tRPC
 * endpoint (Path=/trpc, which covers /trpc/auth.refresh and batched paths), so pages and assets
 * never carry it. With secure cookies the names carry the prefixes browsers enforce: `__Host-`
 * (Secure, Path=/, no Domain) for the access cookie and `__Secure-` for the refresh cookie, whose
 * narrower path rules out `__Host-`.
 */
export interface CookieNames {
  access: string;
  refresh: string;
  /** Readable by page scripts, holds no secret: "this browser has a session", so a signed-out page load asks nothing. */
  hint: string;
}

export const REFRESH_COOKIE_PATH = '/trpc';

export function cookieNames(secure: boolean): CookieNames {
  return secure
    ? { access: '__Host-tessera_at', refresh: '__Secure-tessera_rt', hint: '__Host-tessera_session' }
    : { access: 'tessera_at', refresh: 'tessera_rt', hint: 'tessera_session' };
}

function base(secure: boolean, path: string): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path };
}

export function setSessionCookies(
  reply: FastifyReply,
  secure: boolean,
  tokens: { accessToken: string; accessExpiresAt: Date; refreshToken?: string; refreshExpiresAt?: Date },
): void {
  const names = cookieNames(secure);
  reply.setCookie(names.access, tokens.accessToken, { ...base(secure, '/'), expires: tokens.accessExpiresAt });
  if (tokens.refreshToken && tokens.refreshExpiresAt) {
    reply.setCookie(names.refresh, tokens.refreshToken, { ...base(secure, REFRESH_COOKIE_PATH), expires: tokens.refreshExpiresAt });
    reply.setCookie(names.hint, '1', { ...base(secure, '/'), httpOnly: false, expires: tokens.refreshExpiresAt });
  }
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  const names = cookieNames(secure);
  reply.clearCookie(names.access, base(secure, '/'));
  reply.clearCookie(names.refresh, base(secure, REFRESH_COOKIE_PATH));
  reply.clearCookie(names.hint, { ...base(secure, '/'), httpOnly: false });
}

export function readCookie(req: FastifyRequest, name: string): string | null {
  const value = req.cookies?.[name];
  return typeof value === 'string' && value.length > 0 ? value : null;
}
