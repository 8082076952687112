import crypto from 'node:crypto';
import type { AnyRouter } from '@trpc/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Mailer } from '../lib/mail.js';
import { ALWAYS_ANSWER } from './overload.js';
import type { DependencyState } from './readiness.js';

/** Seat counts are read from the database at most this often, however often Prometheus scrapes. */
const SEAT_COUNTS_EVERY_MS = 10_000;

export interface Metrics {
  registry: Registry;
  /** Counts one answered request (called from the onResponse hook). */
  observe(req: FastifyRequest, reply: FastifyReply): void;
  /** The mailer, counting what it sends and what fails. */
  countMail(mailer: Mailer): Mailer;
  holdsReleased(seats: number): void;
}

/**
 * Prometheus metrics (prom-client): requests and their latency per procedure and status, 429s,
 * the database pool, Redis, seats sold and held, holds expired, mails, and Node's own (event-loop
 * delay, heap, GC). Labels only take values from a fixed set: a procedure name the router knows,
 * "batch", or the route's pattern, so a caller cannot grow the label space.
 */
export function createMetrics(options: { router: AnyRouter; database: Database; redis: () => DependencyState }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tessera_' });
  const procedures = new Set(Object.keys((options.router._def as unknown as { procedures: Record<string, unknown> }).procedures));

  const labelOf = (req: FastifyRequest): string => {
    const path = (req.params as { path?: unknown } | undefined)?.path;
    if (typeof path === 'string' && req.routeOptions.url?.startsWith('/trpc/')) {
      if (path.includes(',')) return 'batch';
      return procedures.has(path) ? path : 'unknown';
    }
    return req.routeOptions.url ?? 'unmatched';
  };

  const requests = new Counter({
    name: 'tessera_requests_total',
    help: 'Answered HTTP requests, by procedure (or route) and status.',
    labelNames: ['procedure', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'tessera_request_duration_seconds',
    help: 'Time from the request arriving to its answer being sent, by procedure (or route) and status.',
    labelNames: ['procedure', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const refused = new Counter({
    name: 'tessera_rate_limit_refusals_total',
    help: 'Requests answered 429 (a sign-in or request limit was reached), by procedure.',
    labelNames: ['procedure'] as const,
    registers: [registry],
  });
  const mails = new Counter({
    name: 'tessera_mails_total',
    help: 'Mails handed to SMTP (or written to MAIL_DIR), by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const holdsExpired = new Counter({
    name: 'tessera_holds_expired_total',
    help: 'Seats whose hold ran out and were tidied back to AVAILABLE by this instance.',
    registers: [registry],
  });
  new Gauge({
    name: 'tessera_db_pool_connections',
    help: 'PostgreSQL pool connections by state (absent on the embedded database).',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = options.database.poolStats();
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'in_use' }, stats.total - stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  new Gauge({
    name: 'tessera_redis_up',
    help: '1 when Redis is connected, 0 when it is configured but not connected (absent when REDIS_URL is not set).',
    registers: [registry],
    collect() {
      const state = options.redis();
      if (state !== 'off') this.set(state === 'up' ? 1 : 0);
    },
  });
  let seatCounts: { at: number; value: Promise<{ sold: number; held: number }> } | null = null;
  new Gauge({
    name: 'tessera_seats',
    help: 'Seats of all events now SOLD, or held (RESERVED with an unexpired hold); read at most every 10 s.',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      if (!seatCounts || Date.now() - seatCounts.at > SEAT_COUNTS_EVERY_MS) {
        seatCounts = {
          at: Date.now(),
          value: options.database
            .query<{ sold: number; held: number }>(
              `SELECT count(*) FILTER (WHERE status = 'SOLD')::int AS sold,
                      count(*) FILTER (WHERE status = 'RESERVED' AND "holdExpiresAt" > (now() AT TIME ZONE 'UTC'))::int AS held
               FROM "Ticket" WHERE status IN ('SOLD', 'RESERVED')`,
            )
            .then((rows) => rows[0]!),
        };
      }
      // A scrape while the database is down still answers, without these two.
      const counts = await seatCounts.value.catch(() => {
        seatCounts = null;
        return null;
      });
      if (!counts) return;
      this.set({ status: 'sold' }, counts.sold);
      this.set({ status: 'held' }, counts.held);
    },
  });

  return {
    registry,
    observe(req, reply) {
      const procedure = labelOf(req);
      const status = String(reply.statusCode);
      requests.inc({ procedure, status });
      latency.observe({ procedure, status }, reply.elapsedTime / 1000);
      if (reply.statusCode === 429) refused.inc({ procedure });
    },
    countMail(mailer) {
      return {
        close: () => mailer.close(),
        async send(mail) {
          try {
            await mailer.send(mail);
            mails.inc({ result: 'sent' });
          } catch (error) {
            mails.inc({ result: 'failed' });
            throw error;
          }
        },
      };
    },
    holdsReleased(seats) {
      if (seats > 0) holdsExpired.inc(seats);
    },
  };
}

/** `GET /metrics` with `Authorization: Bearer <METRICS_TOKEN>`; without the setting it does not exist (404). */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string | null): void {
  if (!token) return;
  const expected = crypto.createHash('sha256').update(`Bearer ${token}`).digest();
  app.get('/metrics', { config: ALWAYS_ANSWER }, async (req, reply) => {
    const given = crypto
      .createHash('sha256')
      .update(req.headers.authorization ?? '')
      .digest();
    if (!crypto.timingSafeEqual(given, expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="metrics"')
        .send({ error: 'Unauthorized', message: 'The metrics token is missing or wrong.' });
    }
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
