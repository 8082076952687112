import { z } from 'zod';
import { databaseAnswers } from '../../db/database-check.js';
import { publicProcedure } from '../../trpc/init.js';
import { VERSION } from '../../version.js';

export const healthOutput = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']),
  version: z.string(),
});

/** The database answers (asked at most once a second); while it does not, 503 with Retry-After. */
export const healthProcedure = publicProcedure.query(async ({ ctx }): Promise<z.infer<typeof healthOutput>> => {
  await databaseAnswers(ctx.deps.database);
  return { status: 'ok', database: ctx.deps.database.kind, version: VERSION };
});
