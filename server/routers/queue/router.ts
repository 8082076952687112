import { configureQueueInput, queueEventInput } from '../../../shared/queue.js';
import { configureQueue, eventVisible, joinQueue, openDoors, queueSettings, queueStats } from '../../services/queue/waiting-room.js';
import { actorOf, protectedProcedure, publicProcedure, router, staffProcedure } from '../../trpc/init.js';

/**
 * The virtual waiting room of an on-sale (services/queue/waiting-room.ts): staff switch it on and
 * watch it; shoppers join, follow their place live and are admitted with a pass that the seat map,
 * reserve and purchase take as `pass`.
 */
export const queueRouter = router({
  /** The event's waiting room (null: it has none), so a page knows to queue before it shows seats. */
  settings: publicProcedure.input(queueEventInput).query(({ ctx, input }) => queueSettings(ctx.deps, input.eventId, ctx.viewer?.staff ?? false)),
  /** Takes a place in line, or answers the caller's place (the same one from every tab), with the pass once admitted. */
  join: protectedProcedure
    .input(queueEventInput)
    .mutation(({ ctx, input }) => joinQueue(ctx.deps, { eventId: input.eventId, userId: ctx.user.id, staff: ctx.viewer.staff })),
  /** The caller's place as server-sent events: now, then whenever it changes (position, admission, the pass). */
  status: protectedProcedure.input(queueEventInput).subscription(async ({ ctx, input, signal }) => {
    await eventVisible(ctx.deps, input.eventId, ctx.viewer.staff);
    return ctx.deps.queueStreams.open(ctx.deps, { eventId: input.eventId, userId: ctx.user.id, staff: ctx.viewer.staff }, signal);
  }),
  /** Switch the waiting room on, or change its start and rate (closes open doors again). */
  configure: staffProcedure.input(configureQueueInput).mutation(({ ctx, input }) => configureQueue(ctx.deps, input, actorOf(ctx))),
  /** Open the doors: nobody needs a pass any more. */
  openDoors: staffProcedure.input(queueEventInput).mutation(({ ctx, input }) => openDoors(ctx.deps, input.eventId, actorOf(ctx))),
  /** Queue length, admissions and seats sold, for the staff page (it polls every 2 s). */
  stats: staffProcedure.input(queueEventInput).query(({ ctx, input }) => queueStats(ctx.deps, input.eventId)),
});
