import { compareSeats, type Seat } from '../../../shared/inventory.js';
import type { Order } from '../../../shared/orders.js';
import { AppError } from '../errors.js';
import { requireOnSale } from '../events/require-on-sale.js';
import { conflictUnavailable, findSeats, missingSeats, notIn, seatPairs, unavailableSeats } from '../inventory/find-seats.js';
import { LOCK } from '../inventory/locks.js';
import { isUniqueViolation, NOW, transact, type Store, type Tx } from '../inventory/transact.js';
import { orderSelect, toOrder, type OrderRow } from '../orders/order-shape.js';
import { buildQuote } from '../pricing/build-quote.js';
import { newBarcode } from './barcode.js';

export interface PurchaseInput {
  userId: string;
  eventId: string;
  seats: Seat[];
  idempotencyKey: string;
  staff: boolean;
}

/**
 * Buys the seats, all or none: each must be held by the caller (unexpired) or free. One PAID order
 * (there is no payment provider yet) with one issued ticket per seat, priced exactly as
 * pricing.quote prices them. The idempotency key makes a retry, even one racing the first
 * attempt, return the first attempt's order without touching any seat again.
 */
export async function purchaseSeats(store: Store, input: PurchaseInput): Promise<Order> {
  const before = await findByKey(store.prisma, input);
  if (before) return sameRequest(before, input);
  let created: { orderId: string; reused: boolean };
  try {
    created = await transact(store, (tx) => buy(tx, input));
  } catch (error) {
    // Backstop for the (userId, idempotencyKey) unique key: the other attempt won; answer with its order.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findByKey(store.prisma, input);
    if (!winner) throw error;
    return sameRequest(winner, input);
  }
  const order = await store.prisma.order.findUniqueOrThrow({ where: { id: created.orderId }, select: orderSelect });
  return created.reused ? sameRequest(order, input) : toOrder(order);
}

async function buy(tx: Tx, input: PurchaseInput): Promise<{ orderId: string; reused: boolean }> {
  const { userId, eventId, seats } = input;
  // A racing attempt with the same key waits here, then finds the order the first one made.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK.purchaseKey}::int, hashtext(${`${userId}:${input.idempotencyKey}`}))`;
  const raced = await findByKey(tx, input);
  if (raced) return { orderId: raced.id, reused: true };

  await requireOnSale(tx, eventId, input.staff);
  const found = await findSeats(tx, eventId, seats, { lock: true });
  missingSeats(seats, found);
  const unavailable = unavailableSeats(found, userId);
  if (unavailable.length > 0) throw conflictUnavailable(unavailable);
  const rules = await tx.groupDiscount.findMany({ where: { eventId }, select: { minQuantity: true, percentOff: true } });
  const quote = buildQuote(found, rules);

  const order = await tx.order.create({
    data: {
      userId,
      eventId,
      status: 'PAID',
      subtotalCents: quote.subtotalCents,
      discountCents: quote.discountCents,
      totalCents: quote.totalCents,
      currency: quote.currency,
      idempotencyKey: input.idempotencyKey,
    },
    select: { id: true },
  });
  // The locks already decided; the condition repeats the rule so the UPDATE alone could never sell a seat twice.
  const sold = await tx.$queryRaw<Seat[]>`
    UPDATE "Ticket" t
    SET status = 'SOLD', "orderId" = ${order.id}::uuid, "holdId" = NULL, "heldById" = NULL, "holdExpiresAt" = NULL
    FROM ${seatPairs(seats)}
    WHERE t."eventId" = ${eventId}::uuid AND t."rowName" = r.row_name AND t."seatNumber" = r.seat_number
      AND (t.status = 'AVAILABLE' OR (t.status = 'RESERVED' AND (t."holdExpiresAt" <= ${NOW} OR t."heldById" = ${userId}::uuid)))
    RETURNING t."rowName" AS row, t."seatNumber" AS number`;
  if (sold.length !== seats.length) throw conflictUnavailable(notIn(seats, sold));
  await tx.issuedTicket.createMany({
    data: found.map((s) => ({
      barcode: newBarcode(),
      orderId: order.id,
      eventId,
      rowName: s.row,
      seatNumber: s.number,
      tierName: s.tierName,
      priceCents: s.priceCents,
      currency: s.currency,
    })),
  });
  return { orderId: order.id, reused: false };
}

function findByKey(db: Pick<Tx, 'order'>, input: PurchaseInput) {
  return db.order.findUnique({
    where: { userId_idempotencyKey: { userId: input.userId, idempotencyKey: input.idempotencyKey } },
    select: orderSelect,
  });
}

/** The key's order, if it was made for this very purchase; a key reused for another purchase is refused. */
function sameRequest(order: OrderRow, input: PurchaseInput): Order {
  const key = (seats: Seat[]) => [...seats].sort(compareSeats).map((s) => `${s.row}-${s.number}`).join(',');
  const bought = order.tickets.map((t) => ({ row: t.rowName, number: t.seatNumber }));
  if (order.eventId !== input.eventId || key(bought) !== key(input.seats)) {
    throw new AppError('CONFLICT', 'This idempotency key was already used for a different purchase; use a new key.');
  }
  return toOrder(order);
}
