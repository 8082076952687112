import { cancelEventInput, createEventInput, eventByIdInput, listEventsInput, updateEventInput } from '../../../shared/events.js';
import { cancelEvent } from '../../services/events/cancel-event.js';
import { createEvent } from '../../services/events/create-event.js';
import { getEvent } from '../../services/events/get-event.js';
import { listEvents, listVenues } from '../../services/events/list-events.js';
import { updateEvent } from '../../services/events/update-event.js';
import { actorOf, publicProcedure, router, staffProcedure } from '../../trpc/init.js';

export const eventsRouter = router({
  list: publicProcedure.input(listEventsInput).query(({ ctx, input }) => listEvents(ctx.deps, { ...input, staff: ctx.viewer?.staff ?? false })),
  venues: publicProcedure.query(({ ctx }) => listVenues(ctx.deps)),
  byId: publicProcedure.input(eventByIdInput).query(({ ctx, input }) => getEvent(ctx.deps, { id: input.id, staff: ctx.viewer?.staff ?? false })),
  create: staffProcedure.input(createEventInput).mutation(({ ctx, input }) => createEvent(ctx.deps, input, actorOf(ctx))),
  update: staffProcedure.input(updateEventInput).mutation(({ ctx, input }) => updateEvent(ctx.deps, input, actorOf(ctx))),
  cancel: staffProcedure.input(cancelEventInput).mutation(({ ctx, input }) => cancelEvent(ctx.deps, input.id, actorOf(ctx))),
});
