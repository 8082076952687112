import type { AppDeps } from '../../deps.js';
import { intervalTask } from '../../lib/interval-task.js';
import { NOW } from '../../db/transact.js';
import { expireUnpaidOrders } from '../orders/expire-orders.js';
import { offerWaitingSeats } from '../waitlist/waitlist.js';

/**
 * Turns expired holds back into AVAILABLE rows, in batches. Only tidying: every reader already
 * treats an expired hold as available. SKIP LOCKED passes over seats a reserve or purchase has
 * locked right now, and the WHERE is re-checked on each row, so several instances sweeping at
 * once neither wait for each other nor release a hold that was just renewed.
 */
export async function sweepExpiredHolds(deps: Pick<AppDeps, 'db'>, batchSize = 5_000): Promise<number> {
  let released = 0;
  for (;;) {
    const count = await deps.db.$executeRaw`
      UPDATE "Ticket" t
      SET status = 'AVAILABLE', "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
      FROM (
        SELECT "eventId", "rowName", "seatNumber" FROM "Ticket"
        WHERE status = 'RESERVED' AND "holdExpiresAt" <= ${NOW}
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      ) expired
      WHERE t."eventId" = expired."eventId" AND t."rowName" = expired."rowName" AND t."seatNumber" = expired."seatNumber"`;
    released += count;
    if (count < batchSize) return released;
  }
}

/**
 * Runs the sweep every `intervalSeconds` (never two at once in one process); stop() waits for a
 * sweep in flight. Each sweep also expires pay-later orders past their deadline (their seats go
 * back on sale and their buyers are mailed: `onExpired` is told, to send the mail soon), then
 * offers free seats to the waiting lists (waitlist.ts).
 */
export function holdSweeper(
  deps: Pick<AppDeps, 'db' | 'database' | 'mailer' | 'log' | 'config'>,
  options: { onReleased?: (seats: number) => void; onExpired?: (orders: number) => void } = {},
) {
  return intervalTask({
    intervalMs: deps.config.sweepIntervalSeconds * 1000,
    run: async () => {
      const released = await sweepExpiredHolds(deps);
      options.onReleased?.(released);
      if (released > 0) deps.log.info({ released }, 'expired seat holds released');
      const expired = await expireUnpaidOrders(deps);
      if (expired > 0) {
        options.onExpired?.(expired);
        deps.log.info({ expired }, 'unpaid orders expired; their seats are back on sale');
      }
      // Seats that came back (holds, refunds, lapsed orders and offers) go to the waiting lists first.
      const offered = await offerWaitingSeats(deps);
      if (offered > 0) deps.log.info({ offered }, 'waiting-list offers made');
    },
    onError: (err) => deps.log.warn({ err }, 'sweeping expired holds failed; will retry'),
  });
}
