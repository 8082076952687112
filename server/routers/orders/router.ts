import { cancelOrderInput, listOrdersInput, markPaidInput, orderByIdInput, refundTicketsInput } from '../../../shared/orders.js';
import { cancelOrder } from '../../services/orders/cancel-order.js';
import { getOrder } from '../../services/orders/get-order.js';
import { listOrders } from '../../services/orders/list-orders.js';
import { markOrderPaid } from '../../services/orders/mark-paid.js';
import { refundTickets } from '../../services/orders/refund-tickets.js';
import { myOrders } from '../../services/orders/my-orders.js';
import { actorOf, protectedProcedure, router, staffProcedure } from '../../trpc/init.js';

export const ordersRouter = router({
  mine: protectedProcedure.query(({ ctx }) => myOrders(ctx.deps, ctx.user.id)),
  byId: protectedProcedure
    .input(orderByIdInput)
    .query(({ ctx, input }) => getOrder(ctx.deps, { id: input.id, viewerId: ctx.viewer.id, staff: ctx.viewer.staff })),
  cancel: protectedProcedure.input(cancelOrderInput).mutation(async ({ ctx, input }) => {
    const order = await cancelOrder(ctx.deps, { id: input.id, viewerId: ctx.viewer.id, staff: ctx.viewer.staff }, actorOf(ctx));
    ctx.deps.outbox.kick();
    return order;
  }),
  /** Staff record a pay-later order as paid in full, by its id or by its payment reference (the order number). */
  markPaid: staffProcedure.input(markPaidInput).mutation(async ({ ctx, input }) => {
    const order = await markOrderPaid(ctx.deps, input, actorOf(ctx));
    ctx.deps.outbox.kick();
    return order;
  }),
  /** Staff refund some tickets of a paid order (all still valid: the order is cancelled). */
  refundTickets: staffProcedure.input(refundTicketsInput).mutation(async ({ ctx, input }) => {
    const order = await refundTickets(ctx.deps, input, actorOf(ctx));
    ctx.deps.outbox.kick();
    return order;
  }),
  list: staffProcedure.input(listOrdersInput).query(({ ctx, input }) => listOrders(ctx.deps, input)),
});
