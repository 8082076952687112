import { compareSeats, type Seat } from '../../../shared/seats.js';
import { priceOrder, type GroupDiscountRule, type Quote } from '../../../shared/pricing.js';
import { AppError } from '../errors.js';

export type PricedSeat = Seat & { tierId: string; tierName: string; priceCents: number; currency: string };

/** The quote for these seats under these rules: the numbers pricing.quote shows and purchase charges. */
export function buildQuote(seats: PricedSeat[], rules: GroupDiscountRule[]): Quote {
  const currencies = [...new Set(seats.map((s) => s.currency))].sort();
  if (currencies.length !== 1) {
    throw new AppError(
      'MIXED_CURRENCIES',
      `These seats are priced in different currencies (${currencies.join(', ')}); buy them in separate orders.`,
      { currencies },
    );
  }
  const lines = [...seats].sort(compareSeats).map((s) => ({ row: s.row, number: s.number, tierName: s.tierName, priceCents: s.priceCents }));
  return {
    lines,
    ...priceOrder(
      lines.map((l) => l.priceCents),
      rules,
    ),
    currency: currencies[0]!,
    voucher: null,
  };
}
