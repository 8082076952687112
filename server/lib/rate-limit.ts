import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * The procedure names a tRPC URL calls: `/trpc/auth.login,auth.me?batch=1` -> ['auth.login', 'auth.me'].
 * Empty for URLs outside the prefix or that do not decode.
 */
export function trpcProcedures(url: string, prefix = '/trpc'): string[] {
  const pathname = url.split('?')[0] ?? '';
  if (!pathname.startsWith(`${prefix}/`)) return [];
  try {
    return decodeURIComponent(pathname.slice(prefix.length + 1)).split(',');
  } catch {
    return [];
  }
}

export interface ProcedureLimitOptions {
  /** Procedures sharing one budget per client address. */
  procedures: ReadonlySet<string>;
  /** Calls per window and client address. */
  max: number;
  timeWindowMs: number;
  /** Shared store for several instances; in-memory without it. */
  redis: Redis | null;
  nameSpace: string;
}

/**
 * Rate-limits tRPC procedures per client address with @fastify/rate-limit. tRPC batches several
 * calls into one URL, so every limited name in the path costs one unit of the budget: a batch of
 * ten logins is ten attempts. Over budget the whole request is refused with 429, Retry-After and a
 * tRPC-shaped TOO_MANY_REQUESTS error (one per call for batched requests), so typed clients see
 * the code. If the store (Redis) fails, requests pass; the per-account slow-down in the database
 * still applies.
 */
export async function limitProcedures(app: FastifyInstance, options: ProcedureLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(options.redis ? { redis: options.redis } : {}),
    nameSpace: options.nameSpace,
    skipOnError: true,
  });
  const check = app.createRateLimit({ max: options.max, timeWindow: options.timeWindowMs });
  app.addHook('onRequest', async (req, reply) => {
    const calls = trpcProcedures(req.url);
    const limited = calls.filter((name) => options.procedures.has(name)).length;
    for (let i = 0; i < limited; i++) {
      const result = await check(req);
      if (result.isAllowed || !result.isExceeded) continue;
      const retryAfter = Math.max(1, result.ttlInSeconds);
      const message = `Too many attempts. Try again in ${retryAfter} seconds.`;
      const error = (path: string) => ({
        error: { message, code: -32029, data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, path, retryAfterSeconds: retryAfter } },
      });
      const batched = /[?&]batch=1(&|$)/.test(req.url);
      return reply
        .code(429)
        .header('retry-after', String(retryAfter))
        .header('content-type', 'application/json')
        .send(batched ? calls.map(error) : error(calls[0] ?? ''));
    }
  });
}
