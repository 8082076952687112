import { transferTicketInput } from '../../../../shared/tickets';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/**
 * Passing tickets on: each change shows in both of My tickets' lists (the buyer's orders and the
 * tickets a person holds), and a claim link's preview says what became of it.
 */
function useRefreshTickets() {
  const utils = trpc.useUtils();
  return () => Promise.all([utils.orders.mine.invalidate(), utils.tickets.invalidate()]);
}

/** Send a ticket to someone's address: the form shows the server's messages beside the email field. */
export function useTransferTicket() {
  const refresh = useRefreshTickets();
  return useFormAction(trpc.tickets.transfer.useMutation({ onSuccess: refresh }), transferTicketInput);
}

/** Take back a ticket sent and not claimed yet: its link stops working. */
export function useCancelTransfer() {
  const refresh = useRefreshTickets();
  return useAction(trpc.tickets.cancelTransfer.useMutation({ onSuccess: refresh }), { errors: 'toast' });
}

/** Claim a ticket from a mailed link: the page shows why a claim failed (another address, taken back, expired). */
export function useClaimTransfer() {
  const refresh = useRefreshTickets();
  return useAction(trpc.tickets.claimTransfer.useMutation({ onSuccess: refresh }), { errors: 'form', untyped: ['token'] });
}
