import v8 from 'node:v8';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** How long a shed client should wait before trying again. */
const RETRY_AFTER_SECONDS = 2;
const OVERLOADED_MESSAGE = 'Tessera is very busy right now. Please try again in a moment.';
/** A shed request is counted in /metrics; the log says so at most this often. */
const LOG_EVERY_MS = 30_000;
let loggedAt = 0;

/** Routes that must answer whatever the load: probes and metrics (shedding a liveness probe gets the instance killed). */
export const ALWAYS_ANSWER = { pressureHandler: () => undefined } as const;

/**
 * Sheds load before the event loop drowns (@fastify/under-pressure): while the event loop lags more
 * than `maxEventLoopDelayMs`, or the heap is over 90% of its limit, every request except the probes
 * is answered at once with 503 and Retry-After, so the requests already in flight can finish and the
 * ones refused go to another instance or come back shortly. The refusal is answered by the app's
 * error handler through `overloadedAnswer` (tRPC callers get tRPC's error shape).
 */
export async function shedLoad(app: FastifyInstance, options: { maxEventLoopDelayMs: number }): Promise<void> {
  if (options.maxEventLoopDelayMs <= 0) return;
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes: Math.floor(v8.getHeapStatistics().heap_size_limit * 0.9),
    // Not shorter: a window in which the busy loop got no delay sample at all reads as infinite delay.
    sampleInterval: 1000,
    retryAfter: RETRY_AFTER_SECONDS,
    message: OVERLOADED_MESSAGE,
  });
}

/** Bodies up to this size are cheap to read and parse; they never count against the budget below. */
export const LARGE_BODY_BYTES = 64 * 1024;

/**
 * A budget for large request bodies (over LARGE_BODY_BYTES: avatar uploads, very big batches): a
 * token bucket of `bytesPerSecond`, holding up to one body of `bodyLimit`. A large body is
 * admitted when the bucket holds its size (Content-Length; a chunked body counts as `bodyLimit`),
 * else refused at once, before a byte of it is read, with 503 + Retry-After and the connection
 * closed (reading the rest only to drop it would keep the event loop as busy as the flood it
 * refuses). Why: parsing a 600 KB JSON body takes the event loop ~10-15 ms, so a flood of them
 * drowns it within the second the delay-based shedding above needs to notice; this bounds that
 * work up front. A rate, not a count of bodies in flight, so slow uploads cannot hold the budget.
 * Small requests, nearly all of the API's traffic, never touch it. Written here because
 * @fastify/under-pressure only measures and the rate limiters count requests, not bytes.
 */
export function boundLargeBodies(app: FastifyInstance, options: { bytesPerSecond: number; bodyLimit: number }): void {
  if (options.bytesPerSecond <= 0) return;
  const capacity = options.bodyLimit;
  let tokens = capacity;
  let filledAt = performance.now();
  app.addHook('onRequest', async (req, reply) => {
    const declared = req.headers['content-length'];
    const bytes = declared !== undefined ? Number(declared) : req.headers['transfer-encoding'] !== undefined ? options.bodyLimit : 0;
    if (!(bytes > LARGE_BODY_BYTES)) return;
    // Fastify refuses a JSON body over its limit (413) without reading it: say that, not "busy".
    if (bytes > options.bodyLimit && !String(req.headers['content-type']).startsWith('multipart/')) return;
    const now = performance.now();
    tokens = Math.min(capacity, tokens + ((now - filledAt) / 1000) * options.bytesPerSecond);
    filledAt = now;
    // A body larger than the bucket (an avatar upload of up to 2 MB) needs it full, and empties it.
    if (Math.min(bytes, capacity) > tokens) {
      return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).header('connection', 'close').send(overloadedAnswer(req));
    }
    tokens -= Math.min(bytes, capacity);
  });
}

/**
 * The answer to a request refused by `shedLoad` or `boundLargeBodies` (error code FST_UNDER_PRESSURE): tRPC's error shape
 * for tRPC paths (code SERVICE_UNAVAILABLE, reason OVERLOADED; one per call of a batch), so typed
 * clients read it like any other error; Fastify's shape elsewhere.
 */
export function overloadedAnswer(req: FastifyRequest): unknown {
  const now = Date.now();
  if (now - loggedAt > LOG_EVERY_MS) {
    loggedAt = now;
    req.log.warn('shedding load: answering 503 until the event loop catches up');
  }
  const path = req.url.split('?')[0]!;
  if (!path.startsWith('/trpc/')) return { statusCode: 503, code: 'OVERLOADED', error: 'Service Unavailable', message: OVERLOADED_MESSAGE };
  const error = {
    error: { message: OVERLOADED_MESSAGE, code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, reason: 'OVERLOADED' } },
  };
  const calls = path.slice('/trpc/'.length).split(',').length;
  return new URL(req.url, 'http://localhost').searchParams.get('batch') ? Array.from({ length: calls }, () => error) : error;
}
