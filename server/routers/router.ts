import { router } from '../trpc/init.js';
import { adminRouter } from './admin/router.js';
import { authRouter } from './auth/router.js';
import { checkinRouter } from './checkin/router.js';
import { eventsRouter } from './events/router.js';
import { healthProcedure } from './health/procedure.js';
import { inventoryRouter } from './inventory/router.js';
import { layoutsRouter } from './layouts/router.js';
import { ordersRouter } from './orders/router.js';
import { pricingRouter } from './pricing/router.js';
import { profileRouter } from './profile/router.js';
import { ticketsRouter } from './tickets/router.js';
import { vouchersRouter } from './vouchers/router.js';
import { waitlistRouter } from './waitlist/router.js';
import { queueRouter } from './queue/router.js';

/** The one API: every domain router merged. Clients import only its type. */
export const appRouter = router({
  health: healthProcedure,
  auth: authRouter,
  profile: profileRouter,
  admin: adminRouter,
  events: eventsRouter,
  pricing: pricingRouter,
  inventory: inventoryRouter,
  layouts: layoutsRouter,
  tickets: ticketsRouter,
  orders: ordersRouter,
  checkin: checkinRouter,
  vouchers: vouchersRouter,
  waitlist: waitlistRouter,
  queue: queueRouter,
});

export type AppRouter = typeof appRouter;
