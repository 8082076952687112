import { cancelOrderInput, listOrdersInput, orderByIdInput } from '../../../shared/orders.js';
import { isStaff } from '../../services/events/viewer.js';
import { cancelOrder } from '../../services/orders/cancel-order.js';
import { getOrder } from '../../services/orders/get-order.js';
import { listOrders } from '../../services/orders/list-orders.js';
import { myOrders } from '../../services/orders/my-orders.js';
import { protectedProcedure, router, staffProcedure } from '../../trpc/init.js';

export const ordersRouter = router({
  mine: protectedProcedure.query(({ ctx }) => myOrders(ctx.deps.db, ctx.user.id)),
  byId: protectedProcedure
    .input(orderByIdInput)
    .query(({ ctx, input }) => getOrder(ctx.deps.db, { id: input.id, viewerId: ctx.user.id, staff: isStaff(ctx.user) })),
  cancel: protectedProcedure
    .input(cancelOrderInput)
    .mutation(({ ctx, input }) => cancelOrder(ctx.deps.database, { id: input.id, viewerId: ctx.user.id, staff: isStaff(ctx.user) })),
  list: staffProcedure.input(listOrdersInput).query(({ ctx, input }) => listOrders(ctx.deps.db, input)),
});
