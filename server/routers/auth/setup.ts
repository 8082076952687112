import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Database } from '../../db/database.js';
import type { Config } from '../../env.js';
import { failoverCounters, redisCounters, sqlCounters, type Counters } from '../../lib/counters.js';
import { dummyHash } from '../../lib/passwords.js';
import { createAuthState, type AuthState } from '../../services/auth/auth-changes.js';

/**
 * Redis calls never queue: while Redis is disconnected a call fails at once (no offline queue) and
 * the database counts. A connected Redis that does not answer within this time counts as down too.
 * (Tens of milliseconds proved too tight: on a loaded machine the event loop itself lags that much,
 * and the timeout then fires before a reply that has already arrived is read.)
 */
const REDIS_COMMAND_TIMEOUT_MS = 200;

export interface AuthInfrastructure {
  counters: Counters;
  authState: AuthState;
  /** Redis: connected, configured but not connected, or not configured. */
  redisState(): 'up' | 'down' | 'off';
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The shared state of sign-in: attempt counters (Redis when REDIS_URL is set, with the database as
 * the fallback; the database alone otherwise) and the followed list of revoked sessions and changed
 * roles (always from the database, see auth-changes.ts).
 */
export function setupAuth(options: { config: Config; database: Database; log: FastifyBaseLogger; redisPrefix: string }): AuthInfrastructure {
  const { config, database, log } = options;
  const inDatabase = sqlCounters(database.prisma);
  let redis: Redis | null = null;
  let counters: Counters = inDatabase;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    let healthy = true;
    const down = (error: unknown) => {
      if (healthy) log.warn({ err: error }, 'Redis unavailable; sign-in counters use the database until it is back');
      healthy = false;
    };
    redis.on('error', down);
    redis.on('ready', () => {
      if (!healthy) log.info('Redis is back; sign-in counters use it again');
      healthy = true;
    });
    counters = failoverCounters(redisCounters(redis, `${options.redisPrefix}rl:`), inDatabase, down);
  }
  const authState = createAuthState({
    database,
    onError: (error, what) => log.warn({ err: error }, `${what} failed; will retry`),
  });
  return {
    counters,
    authState,
    redisState: () => (redis ? (redis.status === 'ready' ? 'up' : 'down') : 'off'),
    async start() {
      if (redis) await redis.connect().catch(() => {});
      await authState.start();
      // The first unknown-email login should not be the one that pays for computing the dummy hash.
      void dummyHash(config.bcryptCost);
    },
    async close() {
      await authState.stop();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
