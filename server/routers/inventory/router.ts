import { generateSeatsInput, inventorySummaryInput, seatMapInput } from '../../../shared/inventory.js';
import type { CompactSeatMap } from '../../../shared/seat-map.js';
import { seatChangesInput } from '../../../shared/live-seats.js';
import { generateSeats } from '../../services/inventory/generate-seats.js';
import { generateLayout } from '../../services/inventory/generate-layout.js';
import { generateLayoutInput } from '../../../shared/layout.js';
import { inventorySummary } from '../../services/inventory/summary.js';
import type { Context } from '../../trpc/context.js';
import { actorOf, publicProcedure, router, staffProcedure } from '../../trpc/init.js';
import { seatMapEtag } from '../../http/seat-map-etag.js';
import { admission, admit } from '../../services/queue/waiting-room.js';
import { AppError } from '../../services/errors.js';
import { toTRPCError } from '../../trpc/errors.js';

function seatMapRequest(ctx: Context, eventId: string) {
  return { eventId, viewerId: ctx.viewer?.id ?? null, staff: ctx.viewer?.staff ?? false, holdMinutes: ctx.deps.config.holdMinutes };
}

/** Polling clients revalidate: the ETag names the map's version and the viewer (see seat-map-etag.ts). */
function cacheHeaders(ctx: Context, version: string) {
  ctx.res?.header('etag', seatMapEtag(version, ctx.user?.id ?? null)).header('cache-control', 'private, no-cache');
}

export const inventoryRouter = router({
  generate: staffProcedure.input(generateSeatsInput).mutation(({ ctx, input }) => generateSeats(ctx.deps, input, actorOf(ctx))),
  /** Seats in sections from a venue layout (shared/layout.ts). */
  generateLayout: staffProcedure.input(generateLayoutInput).mutation(({ ctx, input }) => generateLayout(ctx.deps, input, actorOf(ctx))),
  seatMap: publicProcedure.input(seatMapInput).query(async ({ ctx, input }) => {
    await admit(ctx.deps, { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass });
    const { version, map } = await ctx.deps.seatMaps.full(ctx.deps, seatMapRequest(ctx, input.eventId));
    cacheHeaders(ctx, version);
    return map;
  }),
  /** The same map in few bytes, for the browser (see shared/seat-map.ts). */
  seatMapCompact: publicProcedure.input(seatMapInput).query(async ({ ctx, input }): Promise<CompactSeatMap> => {
    await admit(ctx.deps, { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass });
    const map = await ctx.deps.seatMaps.compact(ctx.deps, seatMapRequest(ctx, input.eventId));
    cacheHeaders(ctx, map.version);
    return map;
  }),
  /**
   * Live seat updates (server-sent events): the seats that changed since `lastEventId`, then every
   * change as it commits (see services/inventory/live-seats.ts). Replaces polling the map.
   */
  seatChanges: publicProcedure.input(seatChangesInput).subscription(async ({ ctx, input, signal }) => {
    const gate = { eventId: input.eventId, viewer: ctx.viewer, pass: input.pass };
    const admitted = await admission(ctx.deps, gate);
    // Behind a waiting room the stream lasts as long as the pass does: asked again when it runs out.
    // A refusal then ends the stream; thrown inside it, it skips the middleware that maps AppErrors.
    const recheck = async () => {
      try {
        return (await admission(ctx.deps, gate))?.until.getTime() ?? null;
      } catch (error) {
        throw error instanceof AppError ? toTRPCError(error) : error;
      }
    };
    const pass = admitted && { until: admitted.until.getTime(), recheck };
    return ctx.deps.liveSeats.open(ctx.deps, { ...seatMapRequest(ctx, input.eventId), lastEventId: input.lastEventId ?? null, pass }, signal);
  }),
  summary: publicProcedure
    .input(inventorySummaryInput)
    .query(({ ctx, input }) => inventorySummary(ctx.deps, { eventId: input.eventId, staff: ctx.viewer?.staff ?? false })),
});
