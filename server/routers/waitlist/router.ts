import { joinWaitlistInput, removeWaitlistEntryInput, waitlistEventInput } from '../../../shared/waitlist.js';
import { joinWaitlist, leaveWaitlist, listWaitlist, myWaitingEntry, removeWaitingEntry } from '../../services/waitlist/waitlist.js';
import { actorOf, protectedProcedure, router, staffProcedure } from '../../trpc/init.js';

/** Waiting lists of sold-out events: shoppers join and leave; staff see and remove entries. Offers come from the sweep. */
export const waitlistRouter = router({
  join: protectedProcedure
    .input(joinWaitlistInput)
    .mutation(({ ctx, input }) => joinWaitlist(ctx.deps, { ...input, userId: ctx.user.id, staff: ctx.viewer.staff })),
  mine: protectedProcedure
    .input(waitlistEventInput)
    .query(({ ctx, input }) => myWaitingEntry(ctx.deps, { eventId: input.eventId, userId: ctx.user.id })),
  leave: protectedProcedure.input(waitlistEventInput).mutation(async ({ ctx, input }) => {
    await leaveWaitlist(ctx.deps, { eventId: input.eventId, userId: ctx.user.id });
    return { ok: true as const };
  }),
  list: staffProcedure.input(waitlistEventInput).query(({ ctx, input }) => listWaitlist(ctx.deps, input)),
  remove: staffProcedure.input(removeWaitlistEntryInput).mutation(async ({ ctx, input }) => {
    await removeWaitingEntry(ctx.deps, input, actorOf(ctx));
    return { ok: true as const };
  }),
});
