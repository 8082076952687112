import type { AppDeps } from '../../deps.js';
import { expandLayout, venueLayout, type VenueLayout } from '../../../shared/layout.js';
import { AppError } from '../errors.js';
import { recordAction, type Actor } from '../audit/record-event.js';

export interface VenueTemplate {
  id: string;
  name: string;
  seats: number;
  sections: string[];
  layout: VenueLayout;
  updatedAt: string;
}

function toTemplate(row: { id: string; name: string; seats: number; layout: unknown; updatedAt: Date }): VenueTemplate {
  // Stored layouts were checked when saved; reading them through the schema keeps the type honest.
  const layout = venueLayout.parse(row.layout);
  return {
    id: row.id,
    name: row.name,
    seats: row.seats,
    sections: layout.sections.map((s) => s.name),
    layout,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const select = { id: true, name: true, seats: true, layout: true, updatedAt: true } as const;

/** Saves a layout under a name for reuse; saving under an existing name replaces that template. */
export async function saveTemplate(deps: Pick<AppDeps, 'db'>, input: { name: string; layout: VenueLayout }, actor: Actor): Promise<VenueTemplate> {
  const seats = expandLayout(input.layout).length;
  return deps.db.$transaction(async (tx) => {
    const row = await tx.venueTemplate.upsert({
      where: { name: input.name },
      create: { name: input.name, layout: input.layout, seats, createdById: actor.userId },
      update: { layout: input.layout, seats },
      select,
    });
    await recordAction(tx, actor, { type: 'template_save', detail: { name: input.name, seats, sections: input.layout.sections.map((s) => s.name) } });
    return toTemplate(row);
  });
}

export async function listTemplates(deps: Pick<AppDeps, 'db'>): Promise<VenueTemplate[]> {
  const rows = await deps.db.venueTemplate.findMany({ select, orderBy: { name: 'asc' }, take: 200 });
  return rows.map(toTemplate);
}

export async function deleteTemplate(deps: Pick<AppDeps, 'db'>, input: { id: string }, actor: Actor): Promise<{ deleted: true }> {
  return deps.db.$transaction(async (tx) => {
    const row = await tx.venueTemplate.findUnique({ where: { id: input.id }, select: { name: true } });
    if (!row) throw new AppError('TEMPLATE_NOT_FOUND', 'Template not found.');
    await tx.venueTemplate.delete({ where: { id: input.id } });
    await recordAction(tx, actor, { type: 'template_delete', detail: { name: row.name } });
    return { deleted: true as const };
  });
}
