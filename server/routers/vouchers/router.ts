import { createVoucherInput, generateVouchersInput, listVouchersInput, setVoucherActiveInput, unlockInput } from '../../../shared/vouchers.js';
import { withCodeAttempt } from '../../services/vouchers/code-attempts.js';
import { createVoucher, generateVouchers, listVouchers, setVoucherActive, unlockTiers } from '../../services/vouchers/manage-vouchers.js';
import { actorOf, publicProcedure, router, staffProcedure } from '../../trpc/init.js';

/** Vouchers and promo codes of an event, for staff (shoppers use a code through pricing.quote and tickets.purchase). */
export const vouchersRouter = router({
  create: staffProcedure.input(createVoucherInput).mutation(({ ctx, input }) => createVoucher(ctx.deps, input, actorOf(ctx))),
  generate: staffProcedure.input(generateVouchersInput).mutation(({ ctx, input }) => generateVouchers(ctx.deps, input, actorOf(ctx))),
  list: staffProcedure.input(listVouchersInput).query(({ ctx, input }) => listVouchers(ctx.deps, input)),
  setActive: staffProcedure.input(setVoucherActiveInput).mutation(({ ctx, input }) => setVoucherActive(ctx.deps, input, actorOf(ctx))),
  /** Which hidden (presale) tiers a code opens, so the seat map can offer their seats (counted as a code try). */
  unlock: publicProcedure
    .input(unlockInput)
    .query(({ ctx, input }) =>
      withCodeAttempt(ctx.deps, ctx.viewer?.id ?? `ip:${ctx.ip ?? 'unknown'}`, input.code, () => unlockTiers(ctx.deps, input)),
    ),
});
