import { useAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** The buyer's and the staff's lists show the refund, and the seats are back on sale on the map. */
export function useCancelOrder() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.orders.cancel.useMutation({
      onSuccess: () => Promise.all([utils.orders.invalidate(), utils.tickets.invalidate(), utils.inventory.seatMapCompact.invalidate()]),
    }),
    { errors: 'toast' },
  );
}
