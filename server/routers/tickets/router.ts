import { purchaseSeatsInput, releaseSeatsInput, reserveSeatsInput } from '../../../shared/tickets.js';
import { isStaff } from '../../services/events/viewer.js';
import { myTickets } from '../../services/tickets/my-tickets.js';
import { purchaseSeats } from '../../services/tickets/purchase-seats.js';
import { releaseSeats } from '../../services/tickets/release-seats.js';
import { reserveSeats } from '../../services/tickets/reserve-seats.js';
import { protectedProcedure, router } from '../../trpc/init.js';

export const ticketsRouter = router({
  reserve: protectedProcedure.input(reserveSeatsInput).mutation(({ ctx, input }) =>
    reserveSeats(ctx.deps.database, {
      ...input,
      userId: ctx.user.id,
      holdMinutes: ctx.deps.config.holdMinutes,
      staff: isStaff(ctx.user),
    }),
  ),
  release: protectedProcedure
    .input(releaseSeatsInput)
    .mutation(({ ctx, input }) => releaseSeats(ctx.deps.database, { ...input, userId: ctx.user.id })),
  purchase: protectedProcedure
    .input(purchaseSeatsInput)
    .mutation(({ ctx, input }) => purchaseSeats(ctx.deps.database, { ...input, userId: ctx.user.id, staff: isStaff(ctx.user) })),
  mine: protectedProcedure.query(({ ctx }) => myTickets(ctx.deps.db, ctx.user.id)),
});
