import { AppError } from '../../services/errors.js';
import type { Context } from '../../trpc/context.js';
import { protectedProcedure, publicProcedure } from '../../trpc/init.js';

/** A refusal that says when to come back (the per-account slow-down) gets a Retry-After header. */
function retryAfterHeader(ctx: Context, error: { cause?: unknown }) {
  const seconds = error.cause instanceof AppError ? error.cause.data.retryAfterSeconds : undefined;
  if (ctx.res && typeof seconds === 'number') ctx.res.header('retry-after', String(seconds));
}

/** Procedures that check passwords: their TOO_MANY_REQUESTS answers carry Retry-After. */
export const passwordCheckingProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) retryAfterHeader(ctx, result.error);
  return result;
});

export const protectedPasswordCheckingProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) retryAfterHeader(ctx, result.error);
  return result;
});
