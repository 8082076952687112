import { mergeRouters } from '../trpc/init.js';
import { healthRouter } from './health/router.js';

/** The one API: every domain router merged. Clients import only its type. */
export const appRouter = mergeRouters(healthRouter);

export type AppRouter = typeof appRouter;
