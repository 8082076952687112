import { createVoucherInput, generateVouchersInput } from '../../../../shared/vouchers';
import { useAction, useFormAction } from '../../lib/useAction';
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

/** Staff record a pay-later order as paid: the lists show it paid, and its buyer's tickets turn valid. */
export function useMarkPaid(errors: 'toast' | 'form') {
  const utils = trpc.useUtils();
  return useAction(
    trpc.orders.markPaid.useMutation({
      onSuccess: () => Promise.all([utils.orders.invalidate(), utils.tickets.invalidate()]),
    }),
    { errors },
  );
}

/** Staff refund some tickets of a paid order: the lists show them refunded, and their seats are back on sale. */
export function useRefundTickets() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.orders.refundTickets.useMutation({
      onSuccess: () => Promise.all([utils.orders.invalidate(), utils.tickets.invalidate(), utils.inventory.seatMapCompact.invalidate()]),
    }),
    { errors: 'toast' },
  );
}

/** Staff make a code: the event's list of codes shows it. Checked with the API's own rules first (a 0% code only unlocks a presale). */
export function useCreateVoucher() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.vouchers.create.useMutation({ onSuccess: () => utils.vouchers.list.invalidate() }), createVoucherInput);
}

/** Staff make single-use codes in bulk, checked the same way. */
export function useGenerateVouchers() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.vouchers.generate.useMutation({ onSuccess: () => utils.vouchers.list.invalidate() }), generateVouchersInput);
}

/** Staff switch a code off or on. */
export function useSetVoucherActive() {
  const utils = trpc.useUtils();
  return useAction(trpc.vouchers.setActive.useMutation({ onSuccess: () => utils.vouchers.list.invalidate() }), { errors: 'toast' });
}
