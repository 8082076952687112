import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { AppDeps } from '../../deps.js';
import type { Db } from '../../db/database.js';
import type { Config } from '../../env.js';
import { dummyHash } from '../../lib/passwords.js';
import { limitProcedures } from '../../lib/rate-limit.js';
import { inProcessRevocations, redisRevocations, type Revocations } from '../../lib/revocations.js';
import { isSessionRevoked, recentlyRevokedSessions } from '../../services/auth/revocation-sources.js';
import { createAuthenticate } from './authenticate.js';

/** Procedures that share the strict per-address budget (AUTH_RATE_LIMIT_PER_MINUTE). */
export const RATE_LIMITED_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.login',
  'auth.register',
  'auth.token',
  'auth.requestPasswordReset',
  'auth.verifyMfa',
  // Six-digit codes could be guessed without a limit.
  'auth.mfa.enable',
  'auth.mfa.disable',
]);

/**
 * Wires accounts into the HTTP app: Redis (when REDIS_URL is set) for revocations and rate limits,
 * the revocation list, the rate limits on sign-in procedures, and `authenticate` for the context.
 * Call before the tRPC routes are registered.
 */
export async function setupAuth(
  app: FastifyInstance,
  options: { config: Config; db: Db; redisPrefix: string },
): Promise<Pick<AppDeps, 'authenticate' | 'revocations'>> {
  const { config, db, redisPrefix } = options;
  let redis: Redis | null = null;
  let revocations: Revocations;
  if (config.redisUrl) {
    // Fail fast when Redis is away: revocation checks fall back to the database, rate limits pass.
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
    let healthy = true;
    redis.on('error', (error) => {
      if (healthy) app.log.warn({ err: error }, 'Redis unavailable; checking revocations in the database');
      healthy = false;
    });
    redis.on('ready', () => {
      healthy = true;
    });
    const client = redis;
    app.addHook('onClose', async () => {
      await client.quit().catch(() => client.disconnect());
    });
    revocations = redisRevocations(redis, {
      prefix: redisPrefix,
      fallback: (id) => isSessionRevoked(db, id),
      onError: (error) => app.log.error({ err: error }, 'Redis revocation failed; the database still has it'),
    });
  } else {
    revocations = inProcessRevocations(await recentlyRevokedSessions(db));
  }

  await limitProcedures(app, {
    procedures: RATE_LIMITED_PROCEDURES,
    max: config.authRateLimitPerMinute,
    timeWindowMs: 60_000,
    redis,
    nameSpace: `${redisPrefix}rl:`,
  });
  // The first unknown-email login should not be the one that pays for computing the dummy hash.
  void dummyHash(config.bcryptCost);

  return { authenticate: createAuthenticate(config, revocations), revocations };
}
