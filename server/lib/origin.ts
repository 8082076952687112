import type { FastifyRequest } from 'fastify';

/**
 * A request is cross-site when it carries cookies (so a browser could be riding a session) and
 * its Origin is not ours, or the browser itself says so via Sec-Fetch-Site. Requests without
 * cookies (scripts with a Bearer token) are never refused by this rule.
 */
export function isCrossSite(req: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  if (!req.headers.cookie) return false;
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (!origin) return false;
  if (allowedOrigins.includes(origin)) return false;
  // The origin the request was actually sent to also counts as ours (same host and port).
  const host = req.headers.host;
  return !(host && (origin === `http://${host}` || origin === `https://${host}`));
}
