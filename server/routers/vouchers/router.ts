import { createVoucherInput, generateVouchersInput, listVouchersInput, setVoucherActiveInput } from '../../../shared/vouchers.js';
import { createVoucher, generateVouchers, listVouchers, setVoucherActive } from '../../services/vouchers/manage-vouchers.js';
import { actorOf, router, staffProcedure } from '../../trpc/init.js';

/** Vouchers and promo codes of an event, for staff (shoppers use a code through pricing.quote and tickets.purchase). */
export const vouchersRouter = router({
  create: staffProcedure.input(createVoucherInput).mutation(({ ctx, input }) => createVoucher(ctx.deps, input, actorOf(ctx))),
  generate: staffProcedure.input(generateVouchersInput).mutation(({ ctx, input }) => generateVouchers(ctx.deps, input, actorOf(ctx))),
  list: staffProcedure.input(listVouchersInput).query(({ ctx, input }) => listVouchers(ctx.deps, input)),
  setActive: staffProcedure.input(setVoucherActiveInput).mutation(({ ctx, input }) => setVoucherActive(ctx.deps, input, actorOf(ctx))),
});
