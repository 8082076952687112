import { purchaseSeatsInput, releaseSeatsInput, reserveBestInput, reserveSeatsInput } from '../../../shared/tickets.js';
import { myTickets } from '../../services/tickets/my-tickets.js';
import { purchaseSeats } from '../../services/tickets/purchase-seats.js';
import { withCodeAttempt } from '../../services/vouchers/code-attempts.js';
import { reserveBest } from '../../services/tickets/reserve-best.js';
import { releaseSeats } from '../../services/tickets/release-seats.js';
import { reserveSeats } from '../../services/tickets/reserve-seats.js';
import { protectedProcedure, router } from '../../trpc/init.js';

export const ticketsRouter = router({
  reserve: protectedProcedure.input(reserveSeatsInput).mutation(({ ctx, input }) =>
    reserveSeats(ctx.deps, {
      ...input,
      userId: ctx.user.id,
      holdMinutes: ctx.deps.config.holdMinutes,
      staff: ctx.viewer.staff,
    }),
  ),
  reserveBest: protectedProcedure
    .input(reserveBestInput)
    .mutation(({ ctx, input }) =>
      reserveBest(ctx.deps, { ...input, userId: ctx.user.id, holdMinutes: ctx.deps.config.holdMinutes, staff: ctx.viewer.staff }),
    ),
  release: protectedProcedure.input(releaseSeatsInput).mutation(({ ctx, input }) => releaseSeats(ctx.deps, { ...input, userId: ctx.user.id })),
  purchase: protectedProcedure.input(purchaseSeatsInput).mutation(async ({ ctx, input }) => {
    const order = await withCodeAttempt(ctx.deps, ctx.user.id, input.code, () =>
      purchaseSeats(ctx.deps, { ...input, userId: ctx.user.id, staff: ctx.viewer.staff }),
    );
    ctx.deps.outbox.kick();
    return order;
  }),
  mine: protectedProcedure.query(({ ctx }) => myTickets(ctx.deps, ctx.user.id)),
});
