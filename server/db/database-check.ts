import type { Database } from './database.js';

/** Probes may come many times a second from every load balancer; the database is asked at most once a second. */
const CHECK_EVERY_MS = 1000;
/** A database that takes longer than this to answer `SELECT 1` counts as unreachable. */
const CHECK_TIMEOUT_MS = 2000;
const checks = new WeakMap<Database, { at: number; answer: Promise<void> }>();

/** Resolves when the database answered a round trip within the last second; rejects when it does not answer. */
export function databaseAnswers(database: Database): Promise<void> {
  const last = checks.get(database);
  if (last && Date.now() - last.at < CHECK_EVERY_MS) return last.answer;
  let timer: NodeJS.Timeout | undefined;
  const answer = Promise.race([
    database.query('SELECT 1').then(() => undefined),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error('The database did not answer in time.'), { code: 'ETIMEDOUT' })), CHECK_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  checks.set(database, { at: Date.now(), answer });
  // A failed check is not remembered: the next call asks again.
  answer.catch(() => checks.delete(database));
  return answer;
}
