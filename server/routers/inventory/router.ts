import { generateSeatsInput, inventorySummaryInput, seatMapInput } from '../../../shared/inventory.js';
import { isStaff } from '../../services/events/viewer.js';
import { generateSeats } from '../../services/inventory/generate-seats.js';
import { seatMap } from '../../services/inventory/seat-map.js';
import { inventorySummary } from '../../services/inventory/summary.js';
import { publicProcedure, router, staffProcedure } from '../../trpc/init.js';

export const inventoryRouter = router({
  generate: staffProcedure.input(generateSeatsInput).mutation(({ ctx, input }) => generateSeats(ctx.deps.database, input)),
  seatMap: publicProcedure.input(seatMapInput).query(({ ctx, input }) =>
    seatMap(ctx.deps.db, {
      eventId: input.eventId,
      viewerId: ctx.user?.id ?? null,
      staff: isStaff(ctx.user),
      holdMinutes: ctx.deps.config.holdMinutes,
    }),
  ),
  summary: publicProcedure
    .input(inventorySummaryInput)
    .query(({ ctx, input }) => inventorySummary(ctx.deps.db, { eventId: input.eventId, staff: isStaff(ctx.user) })),
});
