import type { AppDeps } from '../../deps.js';
import type { Seat } from '../../../shared/seats.js';
import type { Quote } from '../../../shared/pricing.js';
import { requireVisible } from '../events/require-on-sale.js';
import { findPricedSeats, requireAllFound } from '../inventory/find-seats.js';
import { buildQuote } from './build-quote.js';

/** What these seats would cost now, whatever their status (purchase refuses the unavailable ones). */
export async function quoteSeats(deps: Pick<AppDeps, 'db'>, input: { eventId: string; seats: Seat[]; staff: boolean }): Promise<Quote> {
  await requireVisible(deps.db, input.eventId, input.staff);
  const found = await findPricedSeats(deps.db, input.eventId, input.seats);
  requireAllFound(input.seats, found);
  const rules = await deps.db.groupDiscount.findMany({ where: { eventId: input.eventId }, select: { minQuantity: true, percentOff: true } });
  return buildQuote(found, rules);
}
