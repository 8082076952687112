import type { AppDeps } from '../../deps.js';
import type { SeatCounts } from '../../../shared/inventory.js';
import { requireVisible } from '../events/require-on-sale.js';
import { NO_SEATS, seatCounts } from './seat-counts.js';

/** How many seats the event has, and how many are available, held and sold right now. */
export async function inventorySummary(deps: Pick<AppDeps, 'db'>, input: { eventId: string; staff: boolean }): Promise<SeatCounts> {
  await requireVisible(deps.db, input.eventId, input.staff);
  return (await seatCounts(deps.db, [input.eventId])).get(input.eventId) ?? NO_SEATS;
}
