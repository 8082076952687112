import { z } from 'zod';
import { publicProcedure } from '../../trpc/init.js';
import { VERSION } from '../../version.js';

export const healthOutput = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']),
  version: z.string(),
});

export const healthProcedure = publicProcedure.output(healthOutput).query(async ({ ctx }) => {
  // A round trip proves the database answers, not only that a client object exists.
  await ctx.deps.db.$queryRaw`SELECT 1`;
  return { status: 'ok' as const, database: ctx.deps.database.kind, version: VERSION };
});
