import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { encodeCursor } from '../db/pagination.js';

/** Rows read per batch by the exports: memory stays at one batch whatever the table's size. */
export const EXPORT_BATCH = 1_000;

/**
 * A spreadsheet opens a cell that starts with = + - @ (or a tab or return) as a formula: such text
 * from users (a name, an event title) is prefixed with an apostrophe so it stays text.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * Reads a keyset-ordered table in batches: `read(cursor, take)` answers rows after the cursor,
 * each with the (timestamp, id) that orders it; yields `line(row)` for each.
 */
export async function* batches<Row extends { id: string }, Line>(
  read: (cursor: string | null, take: number) => Promise<Row[]>,
  at: (row: Row) => Date,
  lines: (rows: Row[]) => Promise<Line[]> | Line[],
): AsyncGenerator<Line> {
  let cursor: string | null = null;
  for (;;) {
    const rows = await read(cursor, EXPORT_BATCH);
    for (const line of await lines(rows)) yield line;
    if (rows.length < EXPORT_BATCH) return;
    const last = rows[rows.length - 1]!;
    cursor = encodeCursor(at(last), last.id);
  }
}

/**
 * Answers a CSV download streamed from `lines` (objects keyed by `columns`, a header line first);
 * the stream reads on only as fast as the client takes it.
 */
export function sendCsv(reply: FastifyReply, filename: string, columns: readonly string[], lines: AsyncIterable<Record<string, unknown>>) {
  const csv = Readable.from(lines).pipe(stringify({ header: true, columns: [...columns], cast: { string: spreadsheetSafe } }));
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'private, no-store')
    .send(csv);
}
