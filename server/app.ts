import crypto from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from '@trpc/server/adapters/fastify';
import type { AnyRouter, TRPCError } from '@trpc/server';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { Database } from './db/database.js';
import type { AppDeps } from './deps.js';
import type { Config } from './env.js';
import { createBackground } from './lib/background.js';
import { createMailer } from './lib/mail.js';
import { closePasswordPool } from './lib/passwords.js';
import { stages, type Stages } from './lib/stages.js';
import { isCrossSite } from './lib/origin.js';
import { avatarRoutes } from './http/avatar.js';
import { ticketsPdfRoute } from './http/tickets-pdf.js';
import { auditCsvRoute } from './http/audit-csv.js';
import { staffExportRoutes } from './http/staff-exports.js';
import { healthRoutes } from './http/readiness.js';
import { boundLargeBodies, overloadedAnswer, shedLoad } from './http/overload.js';
import { createMetrics, metricsRoute } from './http/metrics.js';
import { createAuthenticate } from './http/authenticate.js';
import type { HttpDeps } from './http/deps.js';
import { setupAuth } from './routers/auth/setup.js';
import { seatMapNotModified, seatMapResponseMeta } from './http/seat-map-etag.js';
import { appRouter } from './routers/router.js';
import { authPruner } from './services/auth/prune-expired.js';
import { createSeatMaps } from './services/inventory/seat-map.js';
import { createLiveSeats } from './services/inventory/live-seats.js';
import { holdSweeper } from './services/inventory/sweep-holds.js';
import { admitNext, createWaitingRooms } from './services/queue/waiting-room.js';
import { createQueueStreams, QUEUE_TICK_MS } from './services/queue/queue-stream.js';
import { intervalTask } from './lib/interval-task.js';
import { mailOutbox } from './services/mail/outbox.js';
import { importAvatarFiles } from './services/profile/import-avatar-files.js';
import { createContext } from './trpc/context.js';
import { whenDatabaseDown } from './trpc/init.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable } from './services/errors.js';

export type { HttpDeps } from './http/deps.js';

/** How long a stop waits for requests in flight before closing their connections. */
const STOP_GRACE_MS = 10_000;

export const CLIENT_DIST = path.resolve(import.meta.dirname, '../client/dist');

export interface BuildAppOptions {
  db: Database;
  config: Config;
  /** Override the logger (tests capture log lines through a stream). */
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built React client; null serves no client. */
  clientDir?: string | null;
  /** Registers more routes before the app is ready (tests use it for probe routers). */
  extend?: (app: FastifyInstance, deps: AppDeps, http: HttpDeps) => Promise<void>;
  /** Prefix of this app's Redis keys (sign-in counters); tests isolate runs with their own. */
  redisPrefix?: string;
}

/** Batched GET URLs name every procedure in one path segment; a longer one is 414. */
const MAX_PATH_PARAM_LENGTH = 5000;

/** tRPC batches several calls into one request; more than this many is refused (400) before any runs. */
export const MAX_BATCH_SIZE = 10;

function loggerFor(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    // Credentials never reach the logs, whatever a log call passes in.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'],
      censor: '[redacted]',
    },
    ...(config.nodeEnv === 'development'
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  };
}

/** The tRPC handler settings: context from the request, unexpected errors logged once in full. */
export function trpcHandlerOptions<TRouter extends AnyRouter>(deps: AppDeps, http: HttpDeps, router: TRouter) {
  return {
    router,
    maxBatchSize: MAX_BATCH_SIZE,
    responseMeta: seatMapResponseMeta,
    createContext: async ({ req, res }: { req: FastifyRequest; res: FastifyReply }) => {
      const auth = await http.authenticate(req).catch((error: unknown) => {
        throw isDatabaseUnavailable(error) ? whenDatabaseDown(deps.log, res, error) : error;
      });
      return createContext(deps, { auth, crossSite: http.isCrossSite(req) }, req, res);
    },
    onError({ error, path: procedure, req }: { error: TRPCError; path?: string; req: FastifyRequest }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        req.log.error({ err: error.cause ?? error, procedure, reqId: req.id }, 'procedure failed');
      }
    },
  } satisfies FastifyTRPCPluginOptions<TRouter>['trpcOptions'];
}

/** The largest request body (an avatar upload, a big batch); larger is 413 before it is read. */
const BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const app = Fastify({
    logger: options.logger ?? loggerFor(config),
    // One line per request, written when it is answered (below), instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    // Errors found while routing (a path too long, a bad percent-encoding) answer like the rest.
    frameworkErrors: answerError,
  });

  // Fastify's own errors (body too large, bad JSON, path too long) keep Fastify's JSON shape, with
  // the status's own name (a long path said "Bad Request" beside 414) and without echoing the
  // request back; anything unexpected is logged once and answered blandly.
  app.setErrorHandler(answerError);

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // API calls being answered right now: while there are any, mail waits (services/mail/outbox.ts).
  const LIVE_STREAM_PATHS = ['/trpc/inventory.seatChanges', '/trpc/queue.status'];
  const answering = new WeakSet<object>();
  let apiInFlight = 0;
  const done = async (req: { raw: object }) => {
    if (answering.delete(req.raw)) apiInFlight -= 1;
  };
  app.addHook('onRequest', async (req) => {
    // A live stream (seats, a queue place) stays open for as long as its page does: it is not an answer in progress.
    if ((req.url.startsWith('/trpc/') && !LIVE_STREAM_PATHS.some((p) => req.url.startsWith(p))) || req.url.startsWith('/api/')) {
      answering.add(req.raw);
      apiInFlight += 1;
    }
  });
  app.addHook('onResponse', done);
  app.addHook('onRequestAbort', done);
  app.addHook('onResponse', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    // Probes from a load balancer would drown everything else.
    const level = path === '/healthz' || path === '/readyz' || path === '/metrics' ? 'debug' : 'info';
    req.log[level](
      {
        method: req.method,
        // The path only: a query string may carry a procedure's input.
        path,
        procedure: (req.params as { path?: string } | undefined)?.path,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
    metrics.observe(req, reply);
  });
  // Graceful stop: responses finished while closing end their keep-alive connection, so the
  // server's close() is not held open until the idle timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    // Node closes idle keep-alive connections once, when close() starts; a connection whose
    // request finishes later would hold the stop until its keep-alive timeout. Keep closing those
    // as they fall idle, and after a grace period close whatever is left.
    const idle = setInterval(() => app.server.closeIdleConnections(), 200);
    const deadline = setTimeout(() => app.server.closeAllConnections(), STOP_GRACE_MS);
    idle.unref();
    deadline.unref();
    app.server.once('close', () => {
      clearInterval(idle);
      clearTimeout(deadline);
    });
  });
  app.addHook('onSend', async (req, reply) => {
    // Also when answering before the body was read (a 429 or 413): the unread rest would keep the
    // connection busy, and close() would wait for it until the keep-alive timeout.
    if (closing || !req.raw.complete) reply.header('connection', 'close');
  });

  // Helmet's policy headers matter for pages, not for JSON: it runs only for what is not the API
  // (its work was about 5% of the CPU of a small API call), and JSON gets the one header it needs.
  await app.register(helmet, {
    global: false,
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', 'blob:', 'https:'],
        // The door's QR decoder is WebAssembly (compiled from the site's own .wasm file).
        'script-src': ["'self'", "'wasm-unsafe-eval'"],
        'connect-src': ["'self'"],
        'upgrade-insecure-requests': config.secureCookies ? [] : null,
      },
    },
    hsts: config.secureCookies,
  });
  app.addHook('onRequest', async (req, reply) => {
    if (isApiPath(req.url)) reply.header('x-content-type-options', 'nosniff');
    else reply.helmet();
  });
  await shedLoad(app, { maxEventLoopDelayMs: config.overloadMaxEventLoopDelayMs });
  boundLargeBodies(app, { bytesPerSecond: config.overloadLargeBodyBytesPerSecond, bodyLimit: BODY_LIMIT_BYTES });
  await app.register(cookie);
  // Seat maps of large venues are megabytes of JSON that compress about tenfold.
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] });
  // How long each part of a stop takes (logged by the server's stop(); see main.ts).
  const stopStages = stages();
  app.decorate('stopStages', stopStages);
  const auth = setupAuth({ config, database: db, log: app.log, redisPrefix: options.redisPrefix ?? 'tessera:' });
  await auth.start();
  const metrics = createMetrics({ router: appRouter, database: db, redis: () => auth.redisState() });
  const mailer = metrics.countMail(createMailer({ smtpUrl: config.smtpUrl, mailDir: config.mailDir, log: app.log }));
  const background = createBackground((error, what) => app.log.error({ err: error }, `${what} failed`));
  app.addHook('onClose', async () => {
    await stopStages.run('mail and other work after answers', () => background.idle());
    mailer.close();
    await stopStages.run('auth (revocation follower, Redis)', () => auth.close());
    await stopStages.run('password workers', () => closePasswordPool());
  });
  const outbox = mailOutbox({ db: db.prisma, mailer, config, log: app.log, background }, { busy: () => apiInFlight > 0 });
  const seatMaps = createSeatMaps();
  const deps: AppDeps = {
    config,
    database: db,
    db: db.prisma,
    log: app.log,
    mailer,
    counters: auth.counters,
    authState: auth.authState,
    background,
    seatMaps,
    liveSeats: createLiveSeats({ seatMaps, onError: (error) => app.log.error({ err: error }, 'following seat changes failed') }),
    waitingRooms: createWaitingRooms(),
    queueStreams: createQueueStreams({ onError: (error) => app.log.error({ err: error }, 'following a waiting room failed') }),
    outbox,
  };
  const allowedOrigins = [config.appOrigin];
  const http: HttpDeps = {
    authenticate: createAuthenticate(config, auth.authState),
    isCrossSite: (req) => isCrossSite(req, allowedOrigins),
  };
  app.decorate('deps', deps);
  // Tidies expired seat holds and expires unpaid orders on an interval; safe with several instances
  // (see sweep-holds.ts and expire-orders.ts).
  const sweeper = holdSweeper(deps, { onReleased: (seats) => metrics.holdsReleased(seats), onExpired: () => outbox.kick() });
  // Deletes sessions and one-time tokens that can no longer be used.
  const pruner = authPruner(deps);
  // Admits the next shoppers of every waiting room that has started (exactly once across instances: see waiting-room.ts).
  const admitter = intervalTask({
    intervalMs: QUEUE_TICK_MS,
    run: async () => {
      const admitted = await admitNext(deps);
      if (admitted > 0) deps.log.debug({ admitted }, 'shoppers admitted from waiting rooms');
    },
    onError: (err) => deps.log.warn({ err }, 'admitting from waiting rooms failed; will retry'),
  });
  // Before the background work is waited for: mail not yet sent stays queued for the next start.
  app.addHook('preClose', async () => {
    // Live seat streams never end by themselves: end them so the server can close.
    deps.liveSeats.stop();
    deps.queueStreams.stop();
    await stopStages.run('mail outbox', () => outbox.stop());
  });
  app.addHook('onReady', async () => {
    await importAvatarFiles(deps).catch((error: unknown) => app.log.error({ err: error }, 'copying avatar files into the database failed'));
    sweeper.start();
    pruner.start();
    admitter.start();
    outbox.start();
    outbox.kick();
  });
  app.addHook('onClose', async () => {
    await stopStages.run('sweepers', () => Promise.all([sweeper.stop(), pruner.stop(), admitter.stop()]));
  });

  // tRPC reads a mutation's body as JSON and refuses an empty one; scripts and curl often send a
  // mutation that takes no input with no body at all, so an empty body means "no input" here.
  app.addHook('onRequest', async (req) => {
    if (req.method === 'POST' && req.url.startsWith('/trpc/') && !req.headers['content-type'] && !Number(req.headers['content-length'] ?? 0)) {
      req.headers['content-type'] = 'application/json';
    }
  });
  app.addHook('preHandler', async (req) => {
    if (req.method === 'POST' && req.url.startsWith('/trpc/') && req.body === '') req.body = '{}';
  });
  seatMapNotModified(app, deps, http);
  await app.register(fastifyTRPCPlugin, { prefix: '/trpc', trpcOptions: trpcHandlerOptions(deps, http, appRouter) });

  healthRoutes(app, { database: db, redis: () => auth.redisState() });
  metricsRoute(app, metrics, config.metricsToken);
  await avatarRoutes(app, deps, http);
  ticketsPdfRoute(app, deps, http);
  auditCsvRoute(app, deps, http);
  staffExportRoutes(app, deps, http);
  await options.extend?.(app, deps, http);

  const clientDir = options.clientDir === undefined ? CLIENT_DIST : options.clientDir;
  if (clientDir && fs.existsSync(path.join(clientDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: clientDir,
      wildcard: false,
      setHeaders(res, file) {
        // Vite fingerprints everything under assets/, so it may be cached for good.
        if (file.includes(`${path.sep}assets${path.sep}`)) res.header('cache-control', 'public, max-age=31536000, immutable');
        else res.header('cache-control', 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    const isApi = isApiPath(url);
    // Client-side routes get the app; API paths and files that do not exist get a real 404.
    if (clientDir && req.method === 'GET' && !isApi && !path.extname(url) && fs.existsSync(path.join(clientDir, 'index.html'))) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html', clientDir);
    }
    return reply.code(404).send({ error: 'Not Found', message: `No route for ${req.method} ${url}` });
  });

  return app;
}

function answerError(error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_UNDER_PRESSURE') {
    void reply.code(503).send(overloadedAnswer(req));
    return;
  }
  if (isDatabaseUnavailable(error)) {
    const refusal = databaseUnavailable();
    void reply
      .code(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS))
      .send({ statusCode: 503, code: refusal.code, error: STATUS_CODES[503], message: refusal.message });
    return;
  }
  const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status >= 500) req.log.error({ err: error, reqId: req.id }, 'request failed');
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? `The request path is longer than ${MAX_PATH_PARAM_LENGTH} characters: send fewer calls in one batch.`
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The request path is not a valid URL.'
        : status >= 500
          ? 'Something went wrong on our side. Please try again.'
          : error.message;
  void reply.code(status).send({ statusCode: status, code: error.code, error: STATUS_CODES[status] ?? 'Error', message });
}

/** The API's paths: JSON (and avatar images), never the app's HTML. */
function isApiPath(url: string): boolean {
  return url === '/trpc' || url.startsWith('/trpc/') || url === '/api' || url.startsWith('/api/') || /^\/(healthz|readyz|metrics)(\?|$)/.test(url);
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    stopStages: Stages;
  }
}
