import { compareSeats } from '../../../shared/seats.js';
import type { Order, PaymentMethod } from '../../../shared/orders.js';
import type { IssuedTicket, IssuedTicketStatus, TicketTransferState } from '../../../shared/tickets.js';
import type { Prisma } from '../../generated/prisma/client.js';

/** Who reads a ticket or an order: a signed-in person (by id), or staff (who see tickets as they are). */
export type Viewer = { id: string } | 'staff';

/** A ticket's transfers that mean something to its views: open ones and claimed ones, newest first. */
const transfersSelect = {
  where: { status: { in: ['PENDING', 'CLAIMED'] } },
  orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  select: {
    id: true,
    fromUserId: true,
    toEmail: true,
    status: true,
    oldBarcode: true,
    expiresAt: true,
    createdAt: true,
    endedAt: true,
    fromUser: { select: { name: true } },
  },
} satisfies Prisma.IssuedTicket$transfersArgs;

/** What a printed ticket (PDF, mail) shows of an IssuedTicket row. */
export const printableTicketSelect = {
  barcode: true,
  rowName: true,
  seatNumber: true,
  tierName: true,
  priceCents: true,
  currency: true,
} satisfies Prisma.IssuedTicketSelect;

/** Who holds a ticket: its holder after a claim, and whether it was ever claimed away (see ticketView). */
export const holderSelect = {
  holderId: true,
  transfers: { where: { status: 'CLAIMED' }, select: { id: true } },
} satisfies Prisma.IssuedTicketSelect;

/** The holder of a ticket read with holderSelect: whoever claimed it last, else the buyer (nobody when that account is gone). */
export const holderOf = (t: { holderId: string | null; transfers: unknown[] }, buyerId: string | null) =>
  t.holderId ?? (t.transfers.length > 0 ? null : buyerId);

const ticketFields = {
  ...printableTicketSelect,
  status: true,
  checkedInAt: true,
  holderId: true,
  transfers: transfersSelect,
} satisfies Prisma.IssuedTicketSelect;

type TicketFields = Prisma.IssuedTicketGetPayload<{ select: typeof ticketFields }>;

const eventFields = { name: true, startsAt: true, status: true, transfersAllowed: true } satisfies Prisma.EventSelect;
type EventFields = Prisma.EventGetPayload<{ select: typeof eventFields }>;

export const issuedTicketSelect = {
  ...ticketFields,
  eventId: true,
  orderId: true,
  order: { select: { userId: true, status: true } },
  seat: { select: { event: { select: eventFields } } },
} satisfies Prisma.IssuedTicketSelect;

export type IssuedTicketRow = Prisma.IssuedTicketGetPayload<{ select: typeof issuedTicketSelect }>;

interface TicketContext {
  eventId: string;
  orderId: string;
  buyerId: string | null;
  orderStatus: string;
  event: EventFields;
}

/**
 * One ticket as `viewer` may see it. The holder (the buyer, or whoever claimed it last) sees it as
 * it is, with their open transfer; someone who sent it away sees it TRANSFERRED under the barcode
 * it had then (dead now), never the new holder's barcode. Staff see it as it is.
 */
function ticketView(t: TicketFields, ctx: TicketContext, viewer: Viewer, now: number): IssuedTicket {
  const claimed = t.transfers.filter((x) => x.status === 'CLAIMED');
  // No holder named: the buyer's, unless it was claimed away (its holder's account is gone since).
  const holderId = t.holderId ?? (claimed.length > 0 ? null : ctx.buyerId);
  const base = {
    barcode: t.barcode,
    eventId: ctx.eventId,
    eventName: ctx.event.name,
    startsAt: ctx.event.startsAt.toISOString(),
    row: t.rowName,
    number: t.seatNumber,
    tierName: t.tierName,
    priceCents: t.priceCents,
    currency: t.currency,
    orderId: ctx.orderId,
    status: t.status as IssuedTicketStatus,
    checkedInAt: t.checkedInAt?.toISOString() ?? null,
    transfer: null as TicketTransferState | null,
    receivedFrom: holderId !== ctx.buyerId ? (claimed[0]?.fromUser?.name ?? null) : null,
    // The same for every viewer (only its holder can send it): paid, unused, before the event, allowed.
    transferable:
      t.status === 'VALID' &&
      ctx.orderStatus === 'PAID' &&
      ctx.event.transfersAllowed &&
      ctx.event.status !== 'CANCELLED' &&
      ctx.event.startsAt.getTime() > now,
  };
  const state = (x: (typeof t.transfers)[number]): TicketTransferState => ({
    id: x.id,
    email: x.toEmail,
    state: x.status === 'CLAIMED' ? 'CLAIMED' : 'PENDING',
    sentAt: x.createdAt.toISOString(),
    until: (x.status === 'CLAIMED' ? (x.endedAt ?? x.createdAt) : x.expiresAt).toISOString(),
  });
  if (viewer === 'staff') return { ...base, transfer: t.transfers[0] ? state(t.transfers[0]) : null };
  if (viewer.id === holderId) {
    const open = t.transfers.find((x) => x.status === 'PENDING' && x.fromUserId === viewer.id);
    return { ...base, transfer: open ? state(open) : null };
  }
  const sent = claimed.find((x) => x.fromUserId === viewer.id);
  return {
    ...base,
    barcode: sent?.oldBarcode ?? '',
    status: 'TRANSFERRED',
    receivedFrom: null,
    transfer: sent ? state(sent) : null,
    transferable: false,
  };
}

export function toIssuedTicket(row: IssuedTicketRow, viewer: Viewer): IssuedTicket {
  return ticketView(
    row,
    { eventId: row.eventId, orderId: row.orderId, buyerId: row.order.userId, orderStatus: row.order.status, event: row.seat.event },
    viewer,
    Date.now(),
  );
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
  event: { select: eventFields },
  tickets: { select: ticketFields },
} satisfies Prisma.OrderSelect;

export type OrderRow = Prisma.OrderGetPayload<{ select: typeof orderSelect }>;

/** An order as `viewer` may see it: its buyer sees tickets sent to others as TRANSFERRED (see ticketView). */
export function toOrder(row: OrderRow, viewer: Viewer): Order {
  const now = Date.now();
  const ctx: TicketContext = { eventId: row.eventId, orderId: row.id, buyerId: row.userId, orderStatus: row.status, event: row.event };
  const tickets = row.tickets.map((t) => ticketView(t, ctx, viewer, now)).sort(compareSeats);
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
