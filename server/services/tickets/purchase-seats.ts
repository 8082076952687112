import type { AppDeps } from '../../deps.js';
import { compareSeats, seatKey, type Seat } from '../../../shared/seats.js';
import type { Order, PaymentMethod } from '../../../shared/orders.js';
import { AppError } from '../errors.js';
import { saleError, type SaleRefusal } from '../inventory/sale-errors.js';
import { retryTransient } from '../../db/transact.js';
import { orderSelect, toOrder, type OrderRow } from '../orders/order-shape.js';
import { newBarcode } from './barcode.js';

export interface PurchaseInput {
  userId: string;
  eventId: string;
  seats: Seat[];
  idempotencyKey: string;
  staff: boolean;
  /** `instant` unless the shopper chose to pay later. */
  paymentMethod?: PaymentMethod;
  /** A voucher or promo code (upper case). */
  code?: string | undefined;
}

interface BoughtOrder {
  id: string;
  number: string;
  eventId: string;
  eventName: string;
  startsAt: string;
  transfersAllowed: boolean;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  createdAt: string;
  status: 'PAID' | 'PENDING';
  paymentMethod: PaymentMethod;
  paymentDueAt: string | null;
  voucherCode: string | null;
  tickets: Array<{ barcode: string; row: string; number: number; tierName: string; priceCents: number; currency: string }>;
}

type PurchaseResult = { order: BoughtOrder } | { existing: string } | SaleRefusal;

/**
 * Buys the seats, all or none, in one round trip (the tessera_purchase() function): each must be
 * held by the caller (unexpired) or free. One order with one issued ticket per seat, priced exactly
 * as pricing.quote prices them, and the answer built from the same statement: PAID when paid now
 * (there is no payment provider yet), PENDING with a deadline when paid later (box office, bank
 * transfer; its seats are sold, its tickets wait for the payment). The idempotency key makes a retry, even one racing the first attempt, return the
 * first attempt's order without touching any seat again.
 */
export async function purchaseSeats(deps: Pick<AppDeps, 'db' | 'database'>, input: PurchaseInput): Promise<Order> {
  const seats = [...input.seats].sort(compareSeats);
  const [row] = await retryTransient(() =>
    deps.database.query<{ result: PurchaseResult }>(
      'SELECT tessera_purchase($1::uuid, $2::uuid, $3::text[], $4::int[], $5, $6::text[], $7, $8, $9) AS result',
      [
        input.eventId,
        input.userId,
        seats.map((s) => s.row),
        seats.map((s) => s.number),
        input.idempotencyKey,
        seats.map(() => newBarcode()),
        input.staff,
        input.paymentMethod ?? 'instant',
        input.code ?? null,
      ],
      'tessera_purchase',
    ),
  );
  const result = row!.result;
  if ('error' in result) throw saleError(result);
  if ('existing' in result) {
    const order = await deps.db.order.findUniqueOrThrow({ where: { id: result.existing }, select: orderSelect });
    return sameRequest(order, input);
  }
  const { order } = result;
  return {
    id: order.id,
    number: order.number,
    eventId: order.eventId,
    eventName: order.eventName,
    status: order.status,
    subtotalCents: order.subtotalCents,
    discountCents: order.discountCents,
    totalCents: order.totalCents,
    currency: order.currency,
    createdAt: order.createdAt,
    cancelledAt: null,
    paymentMethod: order.paymentMethod,
    paymentDueAt: order.paymentDueAt,
    paidAt: order.status === 'PAID' ? order.createdAt : null,
    refundedCents: 0,
    voucherCode: order.voucherCode,
    tickets: order.tickets
      .map((t) => ({
        ...t,
        eventId: order.eventId,
        eventName: order.eventName,
        startsAt: order.startsAt,
        orderId: order.id,
        status: order.status === 'PAID' ? ('VALID' as const) : ('PENDING' as const),
        checkedInAt: null,
        transfer: null,
        receivedFrom: null,
        transferable: order.status === 'PAID' && order.transfersAllowed && Date.parse(order.startsAt) > Date.now(),
      }))
      .sort(compareSeats),
  };
}

/** The key's order, if it was made for this very purchase; a key reused for another purchase is refused. */
function sameRequest(order: OrderRow, input: PurchaseInput): Order {
  const key = (seats: Seat[]) => [...seats].sort(compareSeats).map(seatKey).join(',');
  const bought = order.tickets.map((t) => ({ row: t.rowName, number: t.seatNumber }));
  if (
    order.eventId !== input.eventId ||
    key(bought) !== key(input.seats) ||
    order.paymentMethod !== (input.paymentMethod ?? 'instant') ||
    order.voucherCode !== (input.code ?? null)
  ) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different purchase; use a new key.');
  }
  return toOrder(order, { id: input.userId });
}
