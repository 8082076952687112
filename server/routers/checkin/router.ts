import { checkinStatsInput, scanTicketInput } from '../../../shared/checkin.js';
import { checkinStats, scanTicket } from '../../services/checkin/scan-ticket.js';
import { actorOf, router, staffProcedure } from '../../trpc/init.js';

export const checkinRouter = router({
  scan: staffProcedure.input(scanTicketInput).mutation(({ ctx, input }) => scanTicket(ctx.deps, input, actorOf(ctx))),
  stats: staffProcedure.input(checkinStatsInput).query(({ ctx, input }) => checkinStats(ctx.deps, input)),
});
