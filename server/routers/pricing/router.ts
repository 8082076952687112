import { quoteInput, setGroupDiscountsInput, setTiersInput } from '../../../shared/pricing.js';
import { quoteSeats } from '../../services/pricing/quote.js';
import { withCodeAttempt } from '../../services/vouchers/code-attempts.js';
import { setGroupDiscounts } from '../../services/pricing/set-group-discounts.js';
import { setTiers } from '../../services/pricing/set-tiers.js';
import { actorOf, publicProcedure, router, staffProcedure } from '../../trpc/init.js';

export const pricingRouter = router({
  setTiers: staffProcedure.input(setTiersInput).mutation(({ ctx, input }) => setTiers(ctx.deps, input, actorOf(ctx))),
  setGroupDiscounts: staffProcedure.input(setGroupDiscountsInput).mutation(({ ctx, input }) => setGroupDiscounts(ctx.deps, input, actorOf(ctx))),
  quote: publicProcedure
    .input(quoteInput)
    .query(({ ctx, input }) =>
      withCodeAttempt(ctx.deps, ctx.viewer?.id ?? `ip:${ctx.ip ?? 'unknown'}`, input.code, () =>
        quoteSeats(ctx.deps, { ...input, staff: ctx.viewer?.staff ?? false }),
      ),
    ),
});
