import type { AppDeps } from '../../deps.js';
import { expandLayout, type VenueLayout } from '../../../shared/layout.js';
import { fieldError } from '../errors.js';
import { clashError, startGenerating } from './generate-seats.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { isUniqueViolation, transact } from '../../db/transact.js';

/** Seats per INSERT statement (each a handful of arrays of this length). */
const SEATS_PER_STATEMENT = 20_000;

/**
 * Lays out an event's seats from a venue layout (shared/layout.ts), all or none: the sections in
 * order after any the event has, then every seat in INSERT ... SELECT FROM unnest(arrays)
 * statements of 20,000 seats inside one transaction. Tiers are matched by name on this event.
 * A seat that exists already makes it a CONFLICT that names the rows, with nothing created.
 */
export async function generateLayout(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { eventId: string; layout: VenueLayout },
  actor: Actor | null,
): Promise<{ created: number; sections: string[] }> {
  const seats = expandLayout(input.layout);
  try {
    return await transact(
      deps.database,
      async (tx) => {
        const tiers = await startGenerating(tx, input.eventId);
        const tierId = new Map(tiers.map((t) => [t.name.toLowerCase(), t.id]));
        input.layout.sections.forEach((section, s) =>
          section.rows.forEach((group, g) => {
            if (!tierId.has(group.tier.toLowerCase())) {
              throw fieldError(`layout.sections.${s}.rows.${g}.tier`, `This event has no tier named ${group.tier}; add it under Prices first.`);
            }
          }),
        );

        const existing = await tx.eventSection.findMany({ where: { eventId: input.eventId }, select: { name: true, position: true } });
        const taken = new Set(existing.map((e) => e.name.toLowerCase()));
        input.layout.sections.forEach((section, s) => {
          if (taken.has(section.name.toLowerCase()))
            throw fieldError(`layout.sections.${s}.name`, `This event already has a section named ${section.name}.`);
        });

        const rows = [...new Set(seats.map((seat) => seat.row))];
        const clashes = await tx.$queryRaw<Array<{ row: string }>>`
          SELECT DISTINCT t."rowName" AS row
          FROM unnest(${seats.map((s) => s.row)}::text[], ${seats.map((s) => s.number)}::int[]) AS n(row_name, seat_number)
          JOIN "Ticket" t ON t."eventId" = ${input.eventId}::uuid AND t."rowName" = n.row_name AND t."seatNumber" = n.seat_number
          ORDER BY 1`;
        if (clashes.length > 0) throw clashError(clashes.map((c) => c.row));

        const after = existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
        await tx.eventSection.createMany({
          data: input.layout.sections.map((section, i) => ({ eventId: input.eventId, name: section.name, position: after + i })),
        });
        let created = 0;
        for (let start = 0; start < seats.length; start += SEATS_PER_STATEMENT) {
          const chunk = seats.slice(start, start + SEATS_PER_STATEMENT);
          created += await tx.$executeRaw`
            INSERT INTO "Ticket" ("eventId", "rowName", "seatNumber", "tierId", "section", "position", "features")
            SELECT ${input.eventId}::uuid, s.row_name, s.seat_number, s.tier_id, s.section, s.position, s.features
            FROM unnest(${chunk.map((s) => s.row)}::text[], ${chunk.map((s) => s.number)}::int[], ${chunk.map((s) => tierId.get(s.tier.toLowerCase())!)}::uuid[],
                        ${chunk.map((s) => s.section)}::text[], ${chunk.map((s) => s.position)}::int[], ${chunk.map((s) => s.features)}::smallint[])
                 AS s(row_name, seat_number, tier_id, section, position, features)`;
        }
        await recordAction(tx, actor, {
          type: 'seats_generate',
          eventId: input.eventId,
          detail: {
            created,
            sections: input.layout.sections.map((s) => s.name),
            rows: rows.slice(0, 50).map((row) => ({ row })),
            rowCount: rows.length,
          },
        });
        return { created, sections: input.layout.sections.map((s) => s.name) };
      },
      { timeoutMs: 120_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw clashError([]);
    throw error;
  }
}
