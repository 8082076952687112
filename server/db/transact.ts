import type { Database } from './database.js';
import { Prisma } from '../generated/prisma/client.js';
import { AppError } from '../services/errors.js';

/** What a transaction needs of the database: the client, and which kind it is. */
type Store = Pick<Database, 'prisma' | 'kind'>;
export type Tx = Prisma.TransactionClient;

/**
 * The database clock as a UTC timestamp, comparable with the TIMESTAMP(3) columns Prisma writes
 * in UTC, whatever the session's TimeZone. One clock for every instance: no host clock skew.
 */
export const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

const MAX_ATTEMPTS = 6;

/**
 * Runs `fn` in one interactive transaction. Deadlocks, serialization failures and "could not start
 * in time" are retried a bounded number of times with jittered backoff; if they persist the caller
 * gets a CONFLICT to retry, never a 500. Every transaction here is all-or-nothing, so a retry after
 * a rollback is always safe.
 */
export async function transact<T>(
  store: Store,
  fn: (tx: Tx) => Promise<T>,
  options: { timeoutMs?: number; isolationLevel?: Prisma.TransactionIsolationLevel } = {},
): Promise<T> {
  const isolation = options.isolationLevel ? { isolationLevel: options.isolationLevel } : {};
  for (let attempt = 1; ; attempt++) {
    try {
      return await serialized(store, () => store.prisma.$transaction(fn, { maxWait: 10_000, timeout: options.timeoutMs ?? 20_000, ...isolation }));
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new AppError('BUSY', 'The seats are busy right now. Please try again.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/**
 * PGlite is one in-process session: it runs one transaction at a time and queues the others inside
 * Prisma's `maxWait` window, so under load they fail with "Unable to start a transaction in the
 * given time" (P2028; measured: 36 of 100 concurrent 30 ms transactions). Queueing them here first,
 * per client, keeps PGlite's own serialization and removes that failure. PostgreSQL needs no queue.
 */
const pgliteQueues = new WeakMap<object, Promise<unknown>>();

function serialized<T>(store: Store, run: () => Promise<T>): Promise<T> {
  if (store.kind !== 'pglite') return run();
  const previous = pgliteQueues.get(store.prisma) ?? Promise.resolve();
  const result = previous.then(run, run);
  pgliteQueues.set(
    store.prisma,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}

/**
 * Runs one statement (a hot-path function call), retrying deadlocks and serialization failures a
 * few times with jittered backoff; if they persist the caller gets a CONFLICT, never a 500.
 */
export async function retryTransient<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new AppError('BUSY', 'The seats are busy right now. Please try again.');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
    }
  }
}

/** The PostgreSQL SQLSTATE behind an error: a Prisma error's driver cause, or the driver's own error. */
export function sqlState(error: unknown): string | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; code?: string } } } })?.meta?.driverAdapterError?.cause;
  if (cause) return cause.originalCode ?? cause.code ?? null;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function isTransient(error: unknown): boolean {
  // P2034: write conflict or deadlock; P2028: the transaction could not start (pool busy) in time.
  if (error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2034' || error.code === 'P2028')) return true;
  const state = sqlState(error);
  return state === '40001' || state === '40P01' || state === '55P03';
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || sqlState(error) === '23505');
}
