import type { AppDeps } from '../../deps.js';
import type { Seat } from '../../../shared/seats.js';
import type { Quote } from '../../../shared/pricing.js';
import { voucherDiscount, type VoucherKind } from '../../../shared/vouchers.js';
import { requireVisible } from '../events/require-on-sale.js';
import { findPricedSeats, requireAllFound } from '../inventory/find-seats.js';
import { voucherError } from '../inventory/sale-errors.js';
import { buildQuote } from './build-quote.js';
import { liveVoucherWhere } from '../vouchers/manage-vouchers.js';

/**
 * What these seats would cost now, whatever their status (purchase refuses the unavailable ones).
 * With a code: its discount instead of the group discount, or why it cannot be used (as the
 * purchase would refuse it; the purchase counts the use).
 */
export async function quoteSeats(
  deps: Pick<AppDeps, 'db'>,
  input: { eventId: string; seats: Seat[]; staff: boolean; code?: string | undefined },
): Promise<Quote> {
  await requireVisible(deps.db, input.eventId, input.staff);
  const found = await findPricedSeats(deps.db, input.eventId, input.seats);
  requireAllFound(input.seats, found);
  const rules = await deps.db.groupDiscount.findMany({ where: { eventId: input.eventId }, select: { minQuantity: true, percentOff: true } });
  const quote = buildQuote(found, rules);
  if (!input.code) return quote;

  const voucher = await deps.db.voucher.findFirst({
    where: liveVoucherWhere(input.eventId, input.code, new Date()),
    select: { code: true, kind: true, value: true, tierIds: true, uses: true, maxUses: true },
  });
  if (!voucher) throw voucherError('VOUCHER_INVALID');
  const kind = voucher.kind as VoucherKind;
  const { applies, discountCents } = voucherDiscount({ kind, value: voucher.value, tierIds: voucher.tierIds }, found);
  if (applies === 0) throw voucherError('VOUCHER_NOT_APPLICABLE');
  if (voucher.maxUses !== null && voucher.uses >= voucher.maxUses) throw voucherError('VOUCHER_USED_UP');
  return {
    ...quote,
    percentOff: 0,
    discountCents,
    totalCents: quote.subtotalCents - discountCents,
    voucher: { code: voucher.code, kind, value: voucher.value },
  };
}
