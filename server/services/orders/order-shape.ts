import { compareSeats } from '../../../shared/seats.js';
import type { Order, PaymentMethod } from '../../../shared/orders.js';
import type { IssuedTicket } from '../../../shared/tickets.js';
import type { Prisma } from '../../generated/prisma/client.js';

export const issuedTicketSelect = {
  barcode: true,
  eventId: true,
  rowName: true,
  seatNumber: true,
  tierName: true,
  priceCents: true,
  currency: true,
  orderId: true,
  status: true,
  checkedInAt: true,
  seat: { select: { event: { select: { name: true, startsAt: true } } } },
} satisfies Prisma.IssuedTicketSelect;

export type IssuedTicketRow = Prisma.IssuedTicketGetPayload<{ select: typeof issuedTicketSelect }>;

export function toIssuedTicket(row: IssuedTicketRow): IssuedTicket {
  return {
    barcode: row.barcode,
    eventId: row.eventId,
    eventName: row.seat.event.name,
    startsAt: row.seat.event.startsAt.toISOString(),
    row: row.rowName,
    number: row.seatNumber,
    tierName: row.tierName,
    priceCents: row.priceCents,
    currency: row.currency,
    orderId: row.orderId,
    status: row.status,
    checkedInAt: row.checkedInAt?.toISOString() ?? null,
  };
}

export const orderSelect = {
  id: true,
  number: true,
  userId: true,
  eventId: true,
  status: true,
  subtotalCents: true,
  discountCents: true,
  totalCents: true,
  currency: true,
  createdAt: true,
  cancelledAt: true,
  paymentMethod: true,
  paymentDueAt: true,
  paidAt: true,
  refundedCents: true,
  voucherCode: true,
  event: { select: { name: true, startsAt: true } },
  tickets: {
    select: {
      barcode: true,
      rowName: true,
      seatNumber: true,
      tierName: true,
      priceCents: true,
      currency: true,
      status: true,
      checkedInAt: true,
    },
  },
} satisfies Prisma.OrderSelect;

export type OrderRow = Prisma.OrderGetPayload<{ select: typeof orderSelect }>;

export function toOrder(row: OrderRow): Order {
  const tickets: IssuedTicket[] = row.tickets
    .map((t) => ({
      barcode: t.barcode,
      eventId: row.eventId,
      eventName: row.event.name,
      startsAt: row.event.startsAt.toISOString(),
      row: t.rowName,
      number: t.seatNumber,
      tierName: t.tierName,
      priceCents: t.priceCents,
      currency: t.currency,
      orderId: row.id,
      status: t.status,
      checkedInAt: t.checkedInAt?.toISOString() ?? null,
    }))
    .sort(compareSeats);
  return {
    id: row.id,
    number: row.number,
    eventId: row.eventId,
    eventName: row.event.name,
    status: row.status,
    subtotalCents: row.subtotalCents,
    discountCents: row.discountCents,
    totalCents: row.totalCents,
    currency: row.currency,
    createdAt: row.createdAt.toISOString(),
    cancelledAt: row.cancelledAt?.toISOString() ?? null,
    paymentMethod: row.paymentMethod as PaymentMethod,
    paymentDueAt: row.paymentDueAt?.toISOString() ?? null,
    paidAt: row.paidAt?.toISOString() ?? null,
    refundedCents: row.refundedCents,
    voucherCode: row.voucherCode,
    tickets,
  };
}
