import type { IssuedTicket, TicketTransferState, TransferPreview } from '../../../shared/tickets.js';
import type { AppDeps } from '../../deps.js';
import { NOW, transact, type Tx } from '../../db/transact.js';
import { hashToken, randomToken } from '../../lib/tokens.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { tooManyAttempts } from '../auth/sign-in-throttle.js';
import { AppError, fieldError } from '../errors.js';
import { transferOfferMail } from '../mail/transfer-mail.js';
import { issuedTicketSelect, toIssuedTicket } from '../orders/order-shape.js';
import { newBarcode, normalizeBarcode } from './barcode.js';

/**
 * Transfers one holder may start in an hour. Each sends a mail to an address the sender chooses,
 * so this bounds how far an account can be used to mail strangers; passing on a handful of
 * tickets stays well inside it.
 */
export const TRANSFER_SENDS = { max: 20, windowMs: 60 * 60_000 } as const;

interface TicketLock {
  id: string;
  barcode: string;
  status: string;
  rowName: string;
  seatNumber: number;
  tierName: string;
  orderId: string;
  holderId: string | null;
  buyerId: string | null;
  orderStatus: string;
  claimedAway: boolean;
  eventId: string;
  eventName: string;
  venue: string;
  startsAt: Date;
  timeZone: string;
  eventStatus: string;
  transfersAllowed: boolean;
}

/** The ticket row (locked), its order's buyer and state, and its event. */
async function lockTicket(tx: Tx, where: { barcode: string } | { id: string }): Promise<TicketLock | null> {
  const barcode = 'barcode' in where ? where.barcode : null;
  const id = 'id' in where ? where.id : null;
  const [row] = await tx.$queryRaw<TicketLock[]>`
    SELECT it.id::text, it.barcode, it.status::text AS status, it."rowName", it."seatNumber", it."tierName", it."orderId"::text AS "orderId",
           it."holderId"::text AS "holderId", o."userId"::text AS "buyerId", o.status::text AS "orderStatus",
           EXISTS (SELECT 1 FROM "TicketTransfer" x WHERE x."ticketId" = it.id AND x.status = 'CLAIMED') AS "claimedAway",
           e.id::text AS "eventId", e.name AS "eventName", e.venue, e."startsAt", e."timeZone", e.status::text AS "eventStatus", e."transfersAllowed"
    FROM "IssuedTicket" it JOIN "Order" o ON o.id = it."orderId" JOIN "Event" e ON e.id = it."eventId"
    WHERE (${barcode}::text IS NULL OR it.barcode = ${barcode}) AND (${id}::uuid IS NULL OR it.id = ${id}::uuid)
    FOR UPDATE OF it`;
  return row ?? null;
}

/** Who holds the ticket: whoever claimed it last, else its buyer (nobody when its holder's account is gone). */
const holderOf = (t: TicketLock) => t.holderId ?? (t.claimedAway ? null : t.buyerId);

/** Why this ticket cannot change hands now (the same checks when it is sent and when it is claimed), or null. */
function transferBlocked(t: TicketLock, now: Date): AppError | null {
  if (t.eventStatus === 'CANCELLED') return new AppError('EVENT_CANCELLED', 'This event is cancelled.');
  if (!t.transfersAllowed) return new AppError('TRANSFERS_OFF', 'The organiser does not allow passing on tickets for this event.');
  if (t.startsAt <= now) return new AppError('TICKET_NOT_TRANSFERABLE', 'The event has started: tickets can no longer change hands.');
  if (t.orderStatus === 'PENDING' || t.status === 'PENDING')
    return new AppError('ORDER_NOT_PAID', 'This ticket is not paid yet; it can be passed on once the order is paid.');
  if (t.status === 'CHECKED_IN') return new AppError('TICKET_NOT_TRANSFERABLE', 'This ticket was already used at the door.');
  if (t.status !== 'VALID' || t.orderStatus !== 'PAID') return new AppError('TICKET_NOT_TRANSFERABLE', 'This ticket was refunded or cancelled.');
  return null;
}

export interface StartedTransfer {
  transfer: TicketTransferState;
  /** False when the mail to the recipient could not be sent now: send the ticket again to retry. */
  mailed: boolean;
}

/**
 * Sends the caller's ticket to `email`: an open transfer (replacing one the ticket had) with a
 * single-use claim link, mailed to that address, valid until the event starts. The ticket stays the
 * caller's, and keeps working, until it is claimed. A ticket the caller does not hold is
 * TICKET_NOT_FOUND, as if it did not exist.
 */
export async function startTransfer(
  deps: Pick<AppDeps, 'db' | 'database' | 'counters' | 'mailer' | 'config' | 'log'>,
  input: { userId: string; barcode: string; email: string },
  actor: Actor,
): Promise<StartedTransfer> {
  const barcode = normalizeBarcode(input.barcode);
  if (!barcode) throw new AppError('TICKET_NOT_FOUND', 'Ticket not found.');
  const hit = await deps.counters.hit([{ key: `transfer:${input.userId}`, ...TRANSFER_SENDS }]);
  if (!hit.ok) throw tooManyAttempts(hit.retryAfterMs);
  const token = randomToken();
  const made = await transact(deps.database, async (tx) => {
    const ticket = await lockTicket(tx, { barcode });
    if (!ticket || holderOf(ticket) !== input.userId) throw new AppError('TICKET_NOT_FOUND', 'Ticket not found.');
    const sender = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { name: true, email: true } });
    if (sender.email === input.email) throw fieldError('email', 'That is your own address: send the ticket to someone else’s.');
    const blocked = transferBlocked(ticket, new Date());
    if (blocked) throw blocked;
    const replaced = await tx.$executeRaw`
      UPDATE "TicketTransfer" SET status = 'CANCELLED', "endedAt" = ${NOW} WHERE "ticketId" = ${ticket.id}::uuid AND status = 'PENDING'`;
    const transfer = await tx.ticketTransfer.create({
      data: { ticketId: ticket.id, fromUserId: input.userId, toEmail: input.email, tokenHash: hashToken(token), expiresAt: ticket.startsAt },
      select: { id: true, toEmail: true, createdAt: true, expiresAt: true },
    });
    await recordAction(tx, actor, {
      type: 'ticket_transfer_send',
      eventId: ticket.eventId,
      orderId: ticket.orderId,
      detail: {
        transferId: transfer.id,
        seat: `${ticket.rowName}-${ticket.seatNumber}`,
        to: input.email,
        ...(replaced > 0 ? { replacedOpen: true } : {}),
      },
    });
    return { transfer, ticket, sender };
  });
  const { transfer, ticket, sender } = made;
  const link = `${deps.config.appOrigin}/transfer?token=${encodeURIComponent(token)}`;
  let mailed = true;
  try {
    await deps.mailer.send(
      transferOfferMail(
        {
          event: {
            id: ticket.eventId,
            name: ticket.eventName,
            venue: ticket.venue,
            startsAt: ticket.startsAt,
            endsAt: null,
            timeZone: ticket.timeZone,
          },
          seat: { row: ticket.rowName, number: ticket.seatNumber, tierName: ticket.tierName },
          from: sender,
          to: { name: null, email: input.email },
        },
        link,
      ),
    );
  } catch (err) {
    // The transfer stands (the sender sees it open and can send it again); only its mail was lost.
    mailed = false;
    deps.log.warn({ err, transferId: transfer.id }, 'transfer mail could not be sent');
  }
  return {
    transfer: {
      id: transfer.id,
      email: transfer.toEmail,
      state: 'PENDING',
      sentAt: transfer.createdAt.toISOString(),
      until: transfer.expiresAt.toISOString(),
    },
    mailed,
  };
}

/** Takes back an open transfer the caller sent: its link stops working. Claimed already: TRANSFER_NOT_AVAILABLE. */
export async function cancelTransfer(deps: Pick<AppDeps, 'db'>, input: { userId: string; id: string }, actor: Actor): Promise<{ ok: true }> {
  return deps.db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<Array<{ status: string; ticketId: string; eventId: string; orderId: string }>>`
      SELECT x.status, x."ticketId"::text AS "ticketId", it."eventId"::text AS "eventId", it."orderId"::text AS "orderId"
      FROM "TicketTransfer" x JOIN "IssuedTicket" it ON it.id = x."ticketId"
      WHERE x.id = ${input.id}::uuid AND x."fromUserId" = ${input.userId}::uuid
      FOR UPDATE OF x`;
    if (!row) throw new AppError('TRANSFER_NOT_FOUND', 'Transfer not found.');
    if (row.status === 'CLAIMED')
      throw new AppError('TRANSFER_NOT_AVAILABLE', 'This ticket was already claimed; it is no longer yours to take back.');
    if (row.status === 'CANCELLED') return { ok: true as const };
    await tx.$executeRaw`UPDATE "TicketTransfer" SET status = 'CANCELLED', "endedAt" = ${NOW} WHERE id = ${input.id}::uuid`;
    await recordAction(tx, actor, {
      type: 'ticket_transfer_cancel',
      eventId: row.eventId,
      orderId: row.orderId,
      detail: { transferId: input.id, before: { status: 'PENDING' }, after: { status: 'CANCELLED' } },
    });
    return { ok: true as const };
  });
}

/** What a claim link shows before anyone signs in: the ticket, who sent it, to which address, and its state. */
export async function transferPreview(deps: Pick<AppDeps, 'db'>, input: { token: string }): Promise<TransferPreview> {
  const row = await deps.db.ticketTransfer.findUnique({
    where: { tokenHash: hashToken(input.token) },
    select: {
      status: true,
      toEmail: true,
      expiresAt: true,
      fromUser: { select: { name: true } },
      ticket: {
        select: {
          rowName: true,
          seatNumber: true,
          tierName: true,
          eventId: true,
          seat: { select: { event: { select: { name: true, startsAt: true, venue: true } } } },
        },
      },
    },
  });
  if (!row) throw new AppError('TRANSFER_NOT_FOUND', 'This link is not valid. Ask the sender to send the ticket again.');
  const event = row.ticket.seat.event;
  return {
    eventId: row.ticket.eventId,
    eventName: event.name,
    startsAt: event.startsAt.toISOString(),
    venue: event.venue,
    row: row.ticket.rowName,
    number: row.ticket.seatNumber,
    tierName: row.ticket.tierName,
    fromName: row.fromUser?.name ?? 'Someone',
    email: row.toEmail,
    state: row.status === 'PENDING' && row.expiresAt <= new Date() ? 'EXPIRED' : (row.status as TransferPreview['state']),
  };
}

/**
 * Claims a ticket sent to the caller's address: in one transaction (transfer row, then ticket row,
 * locked), the ticket gets a new barcode and the caller as its holder, the transfer is CLAIMED with
 * the old barcode kept, both get a mail (queued in the outbox) and the audit log a row. The old
 * barcode stops working at the commit: a door scan of it waits for the ticket row and then no
 * longer finds it, so of a claim and a scan of the old barcode exactly one wins. Claiming again
 * answers the ticket unchanged.
 */
export async function claimTransfer(
  deps: Pick<AppDeps, 'db' | 'database'>,
  input: { userId: string; token: string },
  actor: Actor,
): Promise<IssuedTicket> {
  const ticketId = await transact(deps.database, async (tx) => {
    const [transfer] = await tx.$queryRaw<
      Array<{ id: string; ticketId: string; fromUserId: string | null; toEmail: string; status: string; toUserId: string | null; expired: boolean }>
    >`
      SELECT id::text, "ticketId"::text AS "ticketId", "fromUserId"::text AS "fromUserId", "toEmail", status, "toUserId"::text AS "toUserId",
             "expiresAt" <= ${NOW} AS expired
      FROM "TicketTransfer" WHERE "tokenHash" = ${hashToken(input.token)} FOR UPDATE`;
    if (!transfer) throw new AppError('TRANSFER_NOT_FOUND', 'This link is not valid. Ask the sender to send the ticket again.');
    if (transfer.status === 'CLAIMED') {
      if (transfer.toUserId === input.userId) return transfer.ticketId;
      throw new AppError('TRANSFER_NOT_AVAILABLE', 'This ticket was already claimed.');
    }
    if (transfer.status === 'CANCELLED')
      throw new AppError('TRANSFER_NOT_AVAILABLE', 'The sender took this ticket back, or sent it again with a newer link.');
    if (transfer.expired) throw new AppError('TRANSFER_NOT_AVAILABLE', 'This link has expired: the event has started.');
    const claimer = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, select: { email: true } });
    if (claimer.email !== transfer.toEmail) {
      throw new AppError('TRANSFER_OTHER_ADDRESS', `This ticket was sent to ${transfer.toEmail}: sign in with that address to claim it.`, {
        email: transfer.toEmail,
      });
    }
    const ticket = await lockTicket(tx, { id: transfer.ticketId });
    if (!ticket || holderOf(ticket) !== transfer.fromUserId) throw new AppError('TRANSFER_NOT_AVAILABLE', 'The sender no longer holds this ticket.');
    const blocked = transferBlocked(ticket, new Date());
    if (blocked) throw new AppError('TRANSFER_NOT_AVAILABLE', blocked.message);
    await tx.$executeRaw`
      UPDATE "IssuedTicket" SET barcode = ${newBarcode()}, "holderId" = ${input.userId}::uuid WHERE id = ${ticket.id}::uuid`;
    await tx.$executeRaw`
      UPDATE "TicketTransfer" SET status = 'CLAIMED', "toUserId" = ${input.userId}::uuid, "oldBarcode" = ${ticket.barcode}, "endedAt" = ${NOW}
      WHERE id = ${transfer.id}::uuid`;
    // Both mails go out after the commit, from the outbox (the new holder's carries the ticket).
    await tx.mailJob.createMany({
      data: [
        { kind: 'TRANSFER_RECEIVED', orderId: ticket.orderId, detail: { transferId: transfer.id } },
        { kind: 'TRANSFER_COMPLETED', orderId: ticket.orderId, detail: { transferId: transfer.id } },
      ],
    });
    await recordAction(tx, actor, {
      type: 'ticket_transfer_claim',
      eventId: ticket.eventId,
      orderId: ticket.orderId,
      detail: {
        transferId: transfer.id,
        seat: `${ticket.rowName}-${ticket.seatNumber}`,
        before: { holderId: transfer.fromUserId },
        after: { holderId: input.userId },
      },
    });
    return ticket.id;
  });
  const row = await deps.db.issuedTicket.findUniqueOrThrow({ where: { id: ticketId }, select: issuedTicketSelect });
  return toIssuedTicket(row, { id: input.userId });
}
