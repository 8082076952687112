import type { FastifyInstance } from 'fastify';
import { databaseAnswers } from '../db/database-check.js';
import type { Database } from '../db/database.js';
import { DATABASE_RETRY_AFTER_SECONDS } from '../services/errors.js';
import { ALWAYS_ANSWER } from './overload.js';

export type DependencyState = 'up' | 'down' | 'off';

/**
 * `/healthz`: the process is alive (never touches anything else; a failing database must not get
 * the process restarted). `/readyz`: this instance can serve, so a load balancer may send it
 * traffic: the database answers and, when REDIS_URL is set, Redis is connected. 503 with
 * Retry-After otherwise, naming what is down.
 */
export function healthRoutes(app: FastifyInstance, options: { database: Database; redis: () => DependencyState }): void {
  app.get('/healthz', { config: ALWAYS_ANSWER }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: ALWAYS_ANSWER }, async (_req, reply) => {
    const database: DependencyState = await databaseAnswers(options.database).then(
      () => 'up',
      () => 'down',
    );
    const redis = options.redis();
    const ready = database === 'up' && redis !== 'down';
    if (!ready) reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status: ready ? 'ready' : 'unavailable', database, redis };
  });
}
