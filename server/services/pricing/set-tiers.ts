import type { AppDeps } from '../../deps.js';
import type { SetTiersInput, Tier } from '../../../shared/pricing.js';
import { AppError, fieldError } from '../errors.js';
import { isUniqueViolation, transact } from '../../db/transact.js';
import { lockEventForChange } from '../events/lock-event.js';
import { recordAction, type Actor } from '../audit/record-event.js';

const tierSelect = { id: true, name: true, priceCents: true, currency: true, hidden: true } as const;

/**
 * Replaces the event's tiers with the given list: entries with an id update that tier, entries
 * without one create a tier, and tiers left out are deleted unless seats still use them (CONFLICT).
 * Tickets already sold keep the price they were sold at.
 */
export async function setTiers(deps: Pick<AppDeps, 'db' | 'database'>, input: SetTiersInput, actor: Actor | null): Promise<Tier[]> {
  try {
    return await transact(deps.database, async (tx) => {
      await lockEventForChange(tx, input.eventId);

      const existing = await tx.priceTier.findMany({
        where: { eventId: input.eventId },
        select: tierSelect,
        orderBy: { seq: 'asc' },
      });
      const known = new Set(existing.map((t) => t.id));
      input.tiers.forEach((tier, i) => {
        if (tier.id && !known.has(tier.id)) throw fieldError(`tiers.${i}.id`, 'This tier does not belong to this event.');
      });
      const kept = new Set(input.tiers.flatMap((t) => (t.id ? [t.id] : [])));
      const dropped = existing.filter((t) => !kept.has(t.id));
      if (dropped.length > 0) {
        const inUse = await tx.ticket.groupBy({ by: ['tierId'], where: { tierId: { in: dropped.map((t) => t.id) } } });
        if (inUse.length > 0) {
          const names = dropped.filter((t) => inUse.some((u) => u.tierId === t.id)).map((t) => t.name);
          throw new AppError('TIER_IN_USE', `Seats still use the tier(s) ${names.join(', ')}; keep them or move those seats first.`, {
            tiersInUse: names,
          });
        }
        await tx.priceTier.deleteMany({ where: { id: { in: dropped.map((t) => t.id) } } });
      }
      for (const tier of input.tiers) {
        const data = { name: tier.name, priceCents: tier.priceCents, currency: tier.currency, hidden: tier.hidden ?? false };
        if (tier.id) await tx.priceTier.update({ where: { id: tier.id }, data, select: { id: true } });
        else await tx.priceTier.create({ data: { ...data, eventId: input.eventId }, select: { id: true } });
      }
      const tiers = await tx.priceTier.findMany({
        where: { eventId: input.eventId },
        select: tierSelect,
        orderBy: { seq: 'asc' },
      });
      const shown = (list: Tier[]) =>
        list.map((t) => ({ name: t.name, priceCents: t.priceCents, currency: t.currency, ...(t.hidden ? { hidden: true } : {}) }));
      if (JSON.stringify(shown(existing)) !== JSON.stringify(shown(tiers))) {
        await recordAction(tx, actor, { type: 'prices_set', eventId: input.eventId, detail: { before: shown(existing), after: shown(tiers) } });
      }
      return tiers;
    });
  } catch (error) {
    // Two tiers swapping names in one call collide on the (eventId, name) key mid-way.
    if (isUniqueViolation(error)) throw fieldError('tiers', 'Tier names must differ; rename in two steps to swap names.');
    throw error;
  }
}
