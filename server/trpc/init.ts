import { initTRPC, TRPCError } from '@trpc/server';
import { AppError } from '../services/errors.js';
import type { Context } from './context.js';
import { issuesToFieldErrors, toTRPCError, validationIssues } from './errors.js';

/** tRPC is initialised here once; the rest of the server uses only the builders exported below. */
const t = initTRPC.context<Context>().create({
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
        ...(issues ? issuesToFieldErrors(issues) : {}),
        ...(app?.data ?? {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

/** AppErrors from services become tRPC errors with their own code (for HTTP and createCaller alike). */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw toTRPCError(result.error.cause);
  return result;
});

/** Cookie-authenticated mutations must come from our own origin (CSRF). */
const sameOrigin = t.middleware(async ({ ctx, type, next }) => {
  if (type === 'mutation' && ctx.req && ctx.deps.isCrossSite(ctx.req)) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Cross-site request refused.' });
  }
  return next();
});

export const publicProcedure = t.procedure.use(domainErrors).use(sameOrigin);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return next({ ctx: { user: ctx.user } });
});

/** Approved staff, or an admin. A staff account awaiting approval has customer rights only. */
export const staffProcedure = protectedProcedure.use(({ ctx, next }) => {
  const { role, staffStatus } = ctx.user;
  if (role !== 'ADMIN' && !(role === 'STAFF' && staffStatus === 'APPROVED')) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Staff only.' });
  }
  return next({ ctx: { user: ctx.user } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'ADMIN') throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only.' });
  return next({ ctx: { user: ctx.user } });
});
