import { initTRPC, type TRPCError } from '@trpc/server';
import { UNSTORABLE_TEXT_MESSAGE, unstorableTextPath } from '../../shared/text.js';
import { isDatabaseUnavailable } from '../db/unavailable.js';
import { AppError, DATABASE_RETRY_AFTER_SECONDS, databaseUnavailable } from '../services/errors.js';
import { isStaff } from '../services/users/viewer.js';
import type { Context } from './context.js';
import type { Actor } from '../services/audit/record-event.js';
import { issuesToFieldErrors } from '../../shared/field-errors.js';
import { toTRPCError, validationIssues } from './errors.js';

/** tRPC is initialised here once; the rest of the server uses only the builders exported below. */
/** Who may call a procedure; set by the builders below, read by the API reference generator. */
export interface ProcedureMeta {
  access: 'public' | 'user' | 'staff' | 'admin';
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    // Server-sent events (inventory.seatChanges, queue.status): each stream sends something at least
    // every 15 s itself (live-seats.ts KEEP_ALIVE_MS, queue-stream.ts), which keeps proxies from
    // closing a quiet one; the client reconnects (resuming from its last event id) after 40 s of
    // silence. tRPC's ping is off: it wraps every message of every stream in a race with a new timer.
    sse: { ping: { enabled: false }, client: { reconnectAfterInactivityMs: 40_000 } },
    errorFormatter({ shape, error, ctx }) {
      const issues = error.code === 'BAD_REQUEST' ? validationIssues(error.cause) : null;
      const app = error.cause instanceof AppError ? error.cause : null;
      const { stack: _stack, ...data } = shape.data;
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        // The full error was logged once in onError with the request id; the client gets no detail.
        return {
          ...shape,
          message: 'Something went wrong on our side. Please try again.',
          data: { ...data, requestId: ctx?.requestId ?? null },
        };
      }
      return {
        ...shape,
        message: issues ? 'Some fields are not valid.' : shape.message,
        data: {
          ...data,
          // The domain's word for what went wrong (services/errors.ts); validation failures are INVALID_INPUT.
          ...(app ? { reason: app.reason } : issues ? { reason: 'INVALID_INPUT' } : {}),
          ...(issues ? issuesToFieldErrors(issues) : {}),
          ...(app?.data ?? {}),
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure runs inside this one middleware (one, because each tRPC middleware copies the
 * call's options and context; it was a measurable part of a small call's cost):
 * - text PostgreSQL cannot store (NUL, lone surrogates) is refused in every input, before any
 *   schema or query sees it;
 * - cookie-authenticated mutations must come from our own origin (CSRF);
 * - AppErrors from services become tRPC errors with their own code (for HTTP and createCaller
 *   alike); one that says when to come back (`retryAfterSeconds`) also sets Retry-After;
 * - a database that cannot be reached is 503 SERVICE_UNAVAILABLE with Retry-After (the request
 *   was fine and will work once it is back), logged once per outage rather than per request.
 */
/** Another instance of the same outage is logged at most this often: one line, not one per request. */
const OUTAGE_LOG_EVERY_MS = 30_000;
let outageLoggedAt = 0;
function noteDatabaseDown(log: Context['deps']['log'], error: unknown) {
  const now = Date.now();
  if (now - outageLoggedAt < OUTAGE_LOG_EVERY_MS) return;
  outageLoggedAt = now;
  log.error({ err: error }, 'database unreachable; answering 503 with Retry-After until it is back');
}

/**
 * The answer for an error that means the database cannot be reached: 503 SERVICE_UNAVAILABLE with
 * Retry-After, the outage logged once. For procedures, and for the context (the caller's token
 * cannot be trusted while this instance cannot read revocations).
 */
export function whenDatabaseDown(log: Context['deps']['log'], res: Context['res'], error: unknown): TRPCError {
  noteDatabaseDown(log, error);
  res?.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  return toTRPCError(databaseUnavailable());
}

const guarded = t.middleware(async ({ ctx, type, getRawInput, next }) => {
  // Input that does not even parse is left to the procedure's own input parser to refuse.
  const field = unstorableTextPath(await getRawInput().catch(() => undefined));
  if (field !== null) {
    throw toTRPCError(
      new AppError('INVALID_INPUT', 'Some fields are not valid.', {
        fieldErrors: field === '' ? {} : { [field]: [UNSTORABLE_TEXT_MESSAGE] },
        formErrors: field === '' ? [UNSTORABLE_TEXT_MESSAGE] : [],
      }),
    );
  }
  if (type === 'mutation' && ctx.crossSite) throw toTRPCError(new AppError('NOT_ALLOWED', 'Cross-site request refused.'));
  const result = await next();
  if (!result.ok && isDatabaseUnavailable(result.error)) throw whenDatabaseDown(ctx.deps.log, ctx.res, result.error);
  if (!result.ok && result.error.cause instanceof AppError) {
    const seconds = result.error.cause.data.retryAfterSeconds;
    if (ctx.res && typeof seconds === 'number') ctx.res.header('retry-after', String(seconds));
    throw toTRPCError(result.error.cause);
  }
  return result;
});

/** The signed-in caller of a procedure, as services record them in the audit log. */
export function actorOf(ctx: { user: { id: string }; meta: Context['meta'] }): Actor {
  return { userId: ctx.user.id, meta: ctx.meta };
}

export const publicProcedure = t.procedure.meta({ access: 'public' }).use(guarded);

export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.user || !ctx.viewer) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
    return next({ ctx: { user: ctx.user, viewer: ctx.viewer } });
  })
  .meta({ access: 'user' });

/** Approved staff, or an admin. A staff account awaiting approval has customer rights only. */
export const staffProcedure = protectedProcedure
  .use(({ ctx, next }) => {
    if (!isStaff(ctx.user)) throw new AppError('NOT_ALLOWED', 'Staff only.');
    return next({ ctx: { user: ctx.user } });
  })
  .meta({ access: 'staff' });

export const adminProcedure = protectedProcedure
  .use(({ ctx, next }) => {
    if (ctx.user.role !== 'ADMIN') throw new AppError('NOT_ALLOWED', 'Admins only.');
    return next({ ctx: { user: ctx.user } });
  })
  .meta({ access: 'admin' });
