import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { publicProcedure } from '../../trpc/init.js';
import { VERSION } from '../../version.js';

export const healthOutput = z.object({
  status: z.literal('ok'),
  database: z.enum(['pglite', 'postgresql']),
  version: z.string(),
});

/** A load balancer may ask many times a second; the database is asked at most once a second. */
const CHECK_EVERY_MS = 1000;
const checks = new WeakMap<AppDeps, { at: number; answer: Promise<void> }>();

function databaseAnswers(deps: AppDeps): Promise<void> {
  const last = checks.get(deps);
  if (last && Date.now() - last.at < CHECK_EVERY_MS) return last.answer;
  // A round trip proves the database answers, not only that a client object exists.
  const answer = deps.db.$queryRaw`SELECT 1`.then(() => undefined);
  checks.set(deps, { at: Date.now(), answer });
  // A failed check is not remembered: the next call asks again.
  answer.catch(() => checks.delete(deps));
  return answer;
}

export const healthProcedure = publicProcedure.query(async ({ ctx }): Promise<z.infer<typeof healthOutput>> => {
  await databaseAnswers(ctx.deps);
  return { status: 'ok', database: ctx.deps.database.kind, version: VERSION };
});
