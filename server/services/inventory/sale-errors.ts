import { compareSeats, seatLabel, type Seat } from '../../../shared/seats.js';
import { AppError } from '../errors.js';

/** What tessera_reserve() and tessera_purchase() answer instead of a result: nothing was changed. */
export interface SaleRefusal {
  error:
    | 'EVENT_NOT_FOUND'
    | 'EVENT_CANCELLED'
    | 'SALES_CLOSED'
    | 'SEATS_MISSING'
    | 'SEATS_UNAVAILABLE'
    | 'SEATS_LOCKED'
    | 'HOLD_LIMIT'
    | 'MIXED_CURRENCIES'
    | 'PAYMENT_METHOD_NOT_OFFERED'
    | 'PAY_LATER_CLOSED'
    | VoucherRefusal;
  seats?: Seat[];
  held?: number;
  limit?: number;
  currencies?: string[];
  /** The event's payment methods (PAYMENT_METHOD_NOT_OFFERED, PAY_LATER_CLOSED). */
  methods?: string[];
  maxUsesPerUser?: number;
}

export type VoucherRefusal = 'VOUCHER_INVALID' | 'VOUCHER_NOT_APPLICABLE' | 'VOUCHER_USED_UP' | 'VOUCHER_LIMIT_REACHED';

/**
 * A code that cannot be used. Unknown, switched off, not yet or no longer valid: one answer, so
 * guessing learns nothing about which codes exist (and guesses are counted, see code-attempts.ts).
 * The others only answer for a code that exists and is valid now, which the caller already has.
 */
export function voucherError(reason: VoucherRefusal, maxUsesPerUser?: number): AppError {
  switch (reason) {
    case 'VOUCHER_INVALID':
      return new AppError('VOUCHER_INVALID', 'This code is not valid for this event.');
    case 'VOUCHER_NOT_APPLICABLE':
      return new AppError('VOUCHER_NOT_APPLICABLE', 'This code does not apply to these seats.');
    case 'VOUCHER_USED_UP':
      return new AppError('VOUCHER_USED_UP', 'This code has been used as many times as it may be.');
    case 'VOUCHER_LIMIT_REACHED':
      return new AppError(
        'VOUCHER_LIMIT_REACHED',
        `You have already used this code ${maxUsesPerUser === 1 ? 'once, the most it allows' : `${maxUsesPerUser} times, the most it allows`}.`,
        { maxUsesPerUser },
      );
  }
}

const METHOD_WORDS: Record<string, string> = { instant: 'now', box_office: 'at the box office', bank_transfer: 'by bank transfer' };

const label = (seats: Seat[]) => seats.map(seatLabel).join(', ');

export function conflictUnavailable(unavailable: Seat[]): AppError {
  return new AppError(
    'SEATS_UNAVAILABLE',
    `Sorry, ${unavailable.length === 1 ? 'this seat is' : 'these seats are'} no longer available: ${label(unavailable)}.`,
    {
      unavailable,
    },
  );
}

/** The AppError a refusal stands for (the words and data the API has always given). */
export function saleError(refusal: SaleRefusal): AppError {
  const seats = [...(refusal.seats ?? [])].sort(compareSeats);
  switch (refusal.error) {
    case 'EVENT_NOT_FOUND':
      return new AppError('EVENT_NOT_FOUND', 'Event not found.');
    case 'EVENT_CANCELLED':
      return new AppError('EVENT_CANCELLED', 'This event is cancelled; its seats are not on sale.');
    case 'SALES_CLOSED':
      return new AppError('SALES_CLOSED', 'Sales for this event have closed: it has already started.');
    case 'SEATS_MISSING':
      return new AppError('SEATS_MISSING', `No such seat: ${label(seats)}.`, { missing: seats });
    case 'SEATS_UNAVAILABLE':
      return conflictUnavailable(seats);
    case 'SEATS_LOCKED':
      return new AppError(
        'SEATS_LOCKED',
        `${seats.length === 1 ? 'This seat is' : 'These seats are'} in a presale: ${label(seats)}. Enter a presale code that unlocks ${seats.length === 1 ? 'it' : 'them'}.`,
        { locked: seats },
      );
    case 'HOLD_LIMIT':
      return new AppError(
        'HOLD_LIMIT',
        `You can hold at most ${refusal.limit} seats for one event; you already hold ${refusal.held}. Buy or release some first.`,
        { limit: refusal.limit, held: refusal.held },
      );
    case 'MIXED_CURRENCIES':
      return new AppError(
        'MIXED_CURRENCIES',
        `These seats are priced in different currencies (${[...(refusal.currencies ?? [])].sort().join(', ')}); buy them in separate orders.`,
        { currencies: [...(refusal.currencies ?? [])].sort() },
      );
    case 'PAYMENT_METHOD_NOT_OFFERED':
      return new AppError(
        'PAYMENT_METHOD_NOT_OFFERED',
        `This event takes payment ${(refusal.methods ?? []).map((m) => METHOD_WORDS[m] ?? m).join(' or ')}; choose one of those.`,
        { methods: refusal.methods ?? [] },
      );
    case 'PAY_LATER_CLOSED':
      return new AppError('PAY_LATER_CLOSED', 'The event starts too soon to pay later: pay now instead.', { methods: refusal.methods ?? [] });
    default:
      return voucherError(refusal.error, refusal.maxUsesPerUser);
  }
}
