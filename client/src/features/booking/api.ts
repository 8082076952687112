import { useAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Held or refused, the event's seat map changed (a refusal means someone else took a seat): it is read again. */
export function useReserveSeats() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.tickets.reserve.useMutation({ onSettled: (_data, _error, input) => utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId }) }),
    { errors: 'toast' },
  );
}

export function useReleaseSeats() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.tickets.release.useMutation({ onSettled: (_data, _error, input) => utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId }) }),
    { errors: 'toast' },
  );
}

/** A purchase fails inline (the checkout says whether a retry is safe); a bought order shows in My tickets and on the map. */
export function usePurchaseSeats() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.tickets.purchase.useMutation({
      onSuccess: (_order, input) =>
        Promise.all([
          utils.orders.mine.invalidate(),
          utils.tickets.mine.invalidate(),
          utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId }),
        ]),
    }),
    { errors: 'form' },
  );
}

/** Best available: held or refused, the map is read again so the held seats (or the ones just taken) show. */
export function useReserveBest() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.tickets.reserveBest.useMutation({
      onSettled: (_data, _error, input) => utils.inventory.seatMapCompact.invalidate({ eventId: input.eventId }),
    }),
    { errors: 'form' },
  );
}
