import { countAddressCall } from '../../services/auth/sign-in-throttle.js';
import { protectedProcedure, publicProcedure } from '../../trpc/init.js';

/**
 * Calls limited per client address where every call counts (AUTH_RATE_LIMIT_PER_MINUTE a minute):
 * registration, password-reset requests, turning two-factor on or off. Sign-in itself is counted
 * by the sign-in throttle inside its service (failures and bursts, not successes).
 */
export const addressLimitedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  await countAddressCall(ctx.deps, ctx.ip);
  return next();
});

export const protectedAddressLimitedProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  await countAddressCall(ctx.deps, ctx.ip);
  return next();
});
