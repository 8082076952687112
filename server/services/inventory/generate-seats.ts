import type { AppDeps } from '../../deps.js';
import type { GenerateSeatsInput } from '../../../shared/inventory.js';
import { AppError, fieldError } from '../errors.js';
import { LOCK } from './locks.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { isUniqueViolation, transact, type Tx } from '../../db/transact.js';

/** Seats per INSERT statement: large enough to be fast, small enough to keep each statement's memory modest. */
const SEATS_PER_STATEMENT = 20_000;

interface Segment {
  name: string;
  first: number;
  last: number;
  tierId: string;
}

/**
 * Creates the seats of the given rows, all or none, in a few INSERT ... SELECT generate_series
 * statements inside one transaction. If any of them already exists, nothing is created and the
 * CONFLICT names the clashing rows.
 */
export async function generateSeats(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: GenerateSeatsInput,
  actor: Actor | null,
): Promise<{ created: number }> {
  const segments: Segment[] = input.rows.map((r) => {
    const first = r.firstNumber ?? 1;
    return { name: r.name, first, last: first + r.seats - 1, tierId: r.tierId };
  });
  try {
    return await transact(
      deps.database,
      async (tx) => {
        const tiers = await startGenerating(tx, input.eventId);
        const ownTiers = new Set(tiers.map((t) => t.id));
        input.rows.forEach((row, i) => {
          if (!ownTiers.has(row.tierId)) throw fieldError(`rows.${i}.tierId`, 'No such price tier for this event.');
        });

        const clashes = await tx.$queryRaw<Array<{ row: string }>>`
          SELECT DISTINCT t."rowName" AS row
          FROM unnest(${segments.map((s) => s.name)}::text[], ${segments.map((s) => s.first)}::int[], ${segments.map((s) => s.last)}::int[])
               AS r(row_name, first_number, last_number)
          JOIN "Ticket" t ON t."eventId" = ${input.eventId}::uuid AND t."rowName" = r.row_name
                         AND t."seatNumber" BETWEEN r.first_number AND r.last_number
          ORDER BY 1`;
        if (clashes.length > 0) throw clashError(clashes.map((c) => c.row));

        let created = 0;
        for (const chunk of chunks(segments, SEATS_PER_STATEMENT)) {
          created += await tx.$executeRaw`
            INSERT INTO "Ticket" ("eventId", "rowName", "seatNumber", "tierId")
            SELECT ${input.eventId}::uuid, r.row_name, n, r.tier_id
            FROM unnest(${chunk.map((s) => s.name)}::text[], ${chunk.map((s) => s.first)}::int[], ${chunk.map((s) => s.last)}::int[],
                        ${chunk.map((s) => s.tierId)}::uuid[]) AS r(row_name, first_number, last_number, tier_id),
                 generate_series(r.first_number, r.last_number) AS n`;
        }
        const tierName = new Map(tiers.map((t) => [t.id, t.name]));
        await recordAction(tx, actor, {
          type: 'seats_generate',
          eventId: input.eventId,
          detail: {
            created,
            // Row by row, at most 50 named; enough to read what was laid out.
            rows: segments.slice(0, 50).map((s) => ({ row: s.name, first: s.first, last: s.last, tier: tierName.get(s.tierId) ?? null })),
            rowCount: segments.length,
          },
        });
        return { created };
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    // The advisory lock serializes generate calls; this is the backstop should the key still clash.
    if (isUniqueViolation(error)) throw clashError([]);
    throw error;
  }
}

/**
 * The start of every seat generation (rows or a layout): one generation per event at a time (an
 * advisory lock), the event exists and is not cancelled; answers its tiers.
 */
export async function startGenerating(tx: Tx, eventId: string): Promise<Array<{ id: string; name: string }>> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.generate}::int, hashtext(${eventId}))`;
  const event = await tx.event.findUnique({ where: { id: eventId }, select: { status: true } });
  if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  if (event.status === 'CANCELLED') throw new AppError('EVENT_CANCELLED', 'This event is cancelled; it gets no new seats.');
  return tx.priceTier.findMany({ where: { eventId }, select: { id: true, name: true } });
}

/** Some of the seats exist already: nothing was created; names the rows. */
export function clashError(rows: string[]): AppError {
  const named = rows.length > 0 ? ` in row${rows.length === 1 ? '' : 's'} ${rows.join(', ')}` : '';
  return new AppError('SEATS_EXIST', `Some of these seats already exist${named}; nothing was created.`, { clashingRows: rows });
}

/** Splits segments into groups of at most `size` seats, cutting long rows where needed. */
function* chunks(segments: Segment[], size: number): Generator<Segment[]> {
  let chunk: Segment[] = [];
  let seats = 0;
  for (const segment of segments) {
    let first = segment.first;
    while (first <= segment.last) {
      const last = Math.min(segment.last, first + (size - seats) - 1);
      chunk.push({ ...segment, first, last });
      seats += last - first + 1;
      first = last + 1;
      if (seats === size) {
        yield chunk;
        chunk = [];
        seats = 0;
      }
    }
  }
  if (chunk.length > 0) yield chunk;
}
