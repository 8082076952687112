/**
 * Whether an error means "the database cannot be reached right now" (stopped, restarting, the
 * network between us cut, out of connections), as opposed to a bug or a refused statement. Such
 * errors are answered 503 SERVICE_UNAVAILABLE with Retry-After instead of 500: the request was
 * fine, and the same request will work once the database is back.
 *
 * Written by hand: the signal is spread over three layers (node's socket errors, PostgreSQL's
 * SQLSTATE classes, Prisma's driver-adapter error kinds) and no library classifies them.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
/** 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting up), 53300 too many connections. */
const SQL_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** Prisma's own codes: can't reach the server, timed out reaching it, connection closed, no pool connection in time. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'DatabaseAccessDenied']);
const MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection (is )?closed/i, /server closed the connection/i];

export function isDatabaseUnavailable(error: unknown, seen = new Set<unknown>()): boolean {
  if (!error || typeof error !== 'object' || seen.has(error)) return false;
  seen.add(error);
  const e = error as {
    code?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  if (typeof e.code === 'string') {
    if (SOCKET_CODES.has(e.code) || PRISMA_CODES.has(e.code) || SQL_STATES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  const message = e.message;
  if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  // Prisma's driver-adapter error, the plain cause, and AggregateError's parts (several addresses refused).
  const inner = [e.meta?.driverAdapterError, e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  return inner.some((x) => isDatabaseUnavailable(x, seen));
}
