import { AppError } from '../errors.js';

/** Keyset page cursors over (createdAt, id), newest first: opaque to clients, stable under inserts. */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('BAD_REQUEST', 'That page cursor is not valid.', { fieldErrors: { cursor: ['Not a valid cursor.'] } });
  }
  return { createdAt, id };
}

/** The Prisma condition "after this cursor" for an ordering by createdAt desc, id desc. */
export function afterCursor(cursor: string | null | undefined) {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}
