import {
  cancelTransferInput,
  purchaseSeatsInput,
  releaseSeatsInput,
  reserveBestInput,
  reserveSeatsInput,
  transferTicketInput,
  transferTokenInput,
} from '../../../shared/tickets.js';
import { myTickets } from '../../services/tickets/my-tickets.js';
import { purchaseSeats } from '../../services/tickets/purchase-seats.js';
import { withCodeAttempt } from '../../services/vouchers/code-attempts.js';
import { reserveBest } from '../../services/tickets/reserve-best.js';
import { releaseSeats } from '../../services/tickets/release-seats.js';
import { reserveSeats } from '../../services/tickets/reserve-seats.js';
import { cancelTransfer, claimTransfer, startTransfer, transferPreview } from '../../services/tickets/transfer.js';
import { admit, spendPass } from '../../services/queue/waiting-room.js';
import { actorOf, protectedProcedure, publicProcedure, router } from '../../trpc/init.js';

export const ticketsRouter = router({
  reserve: protectedProcedure.input(reserveSeatsInput).mutation(async ({ ctx, input }) => {
    const entry = await admit(ctx.deps, { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass });
    const hold = await withCodeAttempt(ctx.deps, ctx.user.id, input.code, () =>
      reserveSeats(ctx.deps, {
        ...input,
        userId: ctx.user.id,
        holdMinutes: ctx.deps.config.holdMinutes,
        staff: ctx.viewer.staff,
      }),
    );
    await spendPass(ctx.deps, entry, 'SHOPPING');
    return hold;
  }),
  reserveBest: protectedProcedure.input(reserveBestInput).mutation(async ({ ctx, input }) => {
    const entry = await admit(ctx.deps, { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass });
    const hold = await reserveBest(ctx.deps, { ...input, userId: ctx.user.id, holdMinutes: ctx.deps.config.holdMinutes, staff: ctx.viewer.staff });
    await spendPass(ctx.deps, entry, 'SHOPPING');
    return hold;
  }),
  release: protectedProcedure.input(releaseSeatsInput).mutation(({ ctx, input }) => releaseSeats(ctx.deps, { ...input, userId: ctx.user.id })),
  purchase: protectedProcedure.input(purchaseSeatsInput).mutation(async ({ ctx, input }) => {
    const entry = await admit(ctx.deps, { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass, offered: input.seats });
    const order = await withCodeAttempt(ctx.deps, ctx.user.id, input.code, () =>
      purchaseSeats(ctx.deps, { ...input, userId: ctx.user.id, staff: ctx.viewer.staff }),
    );
    // The pass bought tickets: it is spent (buying more means queueing again).
    await spendPass(ctx.deps, entry, 'DONE');
    ctx.deps.outbox.kick();
    return order;
  }),
  mine: protectedProcedure.query(({ ctx }) => myTickets(ctx.deps, ctx.user.id)),
  /** Send a ticket the caller holds to an email address; it stays theirs until claimed. */
  transfer: protectedProcedure
    .input(transferTicketInput)
    .mutation(({ ctx, input }) => startTransfer(ctx.deps, { userId: ctx.user.id, ...input }, actorOf(ctx))),
  /** Take back a transfer the caller sent that was not claimed yet. */
  cancelTransfer: protectedProcedure
    .input(cancelTransferInput)
    .mutation(({ ctx, input }) => cancelTransfer(ctx.deps, { userId: ctx.user.id, id: input.id }, actorOf(ctx))),
  /** What a claim link holds (the token is the secret), for the page that claims it. */
  transferPreview: publicProcedure.input(transferTokenInput).query(({ ctx, input }) => transferPreview(ctx.deps, input)),
  /** Claim a ticket sent to the caller's address: it gets a new barcode, and the caller holds it. */
  claimTransfer: protectedProcedure.input(transferTokenInput).mutation(async ({ ctx, input }) => {
    const ticket = await claimTransfer(ctx.deps, { userId: ctx.user.id, token: input.token }, actorOf(ctx));
    ctx.deps.outbox.kick();
    return ticket;
  }),
});
