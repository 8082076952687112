import { fieldError } from '../services/errors.js';

/**
 * Keyset pagination over (a timestamp, id), the one way lists page here: cursors are opaque
 * (base64url of [timestamp, id] of the last row of the previous page) and stay stable when rows
 * are inserted meanwhile. Lists ask for limit + 1 rows; the extra one says whether more exist.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string' && UUID.test(value[1])) {
      const at = new Date(value[0]);
      if (!Number.isNaN(at.getTime())) return { at, id: value[1] };
    }
  } catch {
    // fall through: any malformed cursor gets the same answer
  }
  throw fieldError('cursor', 'This cursor is not valid; start again without one.');
}

/** The Prisma condition "after this cursor" for rows ordered by (field, id) in `order`; {} without a cursor. */
export function afterCursor<F extends string>(cursor: string | null | undefined, field: F, order: 'asc' | 'desc') {
  if (!cursor) return {};
  const { at, id } = decodeCursor(cursor);
  const past = order === 'asc' ? 'gt' : 'lt';
  // The first condition is implied by the second; it is there so the database can start an index range at the cursor.
  return {
    AND: [{ [field]: { [order === 'asc' ? 'gte' : 'lte']: at } }, { OR: [{ [field]: { [past]: at } }, { [field]: at, id: { [past]: id } }] }],
  } as { AND: Array<Record<string, unknown>> };
}

/** The page of `limit` rows out of the limit + 1 fetched, and the cursor of the next page (null on the last). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => Date): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}
