import { performance } from 'node:perf_hooks';
import type { AppDeps } from '../../deps.js';
import { NOW } from '../../db/transact.js';
import { intervalTask } from '../../lib/interval-task.js';
import type { Mail } from '../../lib/mail.js';
import { holderOf, holderSelect, printableTicketSelect } from '../orders/order-shape.js';
import { orderMail, type OrderMailData, type OrderMailKind } from './order-mail.js';
import { heldTicketCancelledMail, transferCompletedMail, transferReceivedMail, type TransferMailData } from './transfer-mail.js';

/** Sends given up after this many tries (about 4 hours of backoff in all), and logged as an error. */
export const MAX_MAIL_ATTEMPTS = 8;
/** A claimed job not marked sent or failed within this (its instance died mid-send) is due again. */
const LEASE_SECONDS = 120;
/** How often every instance looks for due jobs besides being kicked after an order changes. */
const POLL_MS = 15_000;

/** Seconds until the next try after the n-th failure: 30 s, 1 min, 2 min ... at most an hour. */
export const retryDelaySeconds = (attempts: number) => Math.min(3600, 30 * 2 ** (attempts - 1));

interface Claimed {
  id: bigint;
  kind: OrderMailKind | 'TRANSFER_RECEIVED' | 'TRANSFER_COMPLETED' | 'HELD_TICKET_CANCELLED';
  orderId: string;
  attempts: number;
  detail: { barcodes?: string[]; amountCents?: number; transferId?: string; holderId?: string; ticketIds?: string[] } | null;
}

type OutboxDeps = Pick<AppDeps, 'db' | 'mailer' | 'config' | 'log'>;

/**
 * Sends the mail jobs that are due, oldest first, until none are left. Jobs are claimed with
 * SKIP LOCKED and a lease, so several instances share the work without sending a job twice
 * while each lives; an instance that dies mid-send leaves its job to be sent again after the
 * lease (at least once, never lost). A failure is logged (without the mail's content) and
 * retried with backoff.
 */
/** `beforeEach` runs before each claim of up to `batch` jobs (the outbox paces itself with it). */
export async function sendDueMail(
  deps: OutboxDeps,
  options: { batch?: number; beforeEach?: () => Promise<void> } = {},
): Promise<{ sent: number; failed: number }> {
  const batch = options.batch ?? 20;
  let sent = 0;
  let failed = 0;
  for (;;) {
    // Before claiming: a caller that stops here leaves no job claimed.
    await options.beforeEach?.();
    const jobs = await deps.db.$queryRaw<Claimed[]>`
      UPDATE "MailJob" j SET attempts = j.attempts + 1, "nextAttemptAt" = ${NOW} + make_interval(secs => ${LEASE_SECONDS})
      FROM (
        SELECT id FROM "MailJob" WHERE status = 'PENDING' AND "nextAttemptAt" <= ${NOW}
        ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED
      ) due
      WHERE j.id = due.id
      RETURNING j.id, j.kind::text AS kind, j."orderId"::text AS "orderId", j.attempts, j.detail`;
    for (const job of jobs) {
      try {
        const mail = await jobMail(deps, job);
        if (typeof mail !== 'string') await deps.mailer.send(mail);
        await deps.db.mailJob.update({
          where: { id: job.id },
          data: typeof mail !== 'string' ? { status: 'SENT', sentAt: new Date(), lastError: null } : { status: 'FAILED', lastError: mail },
        });
        sent += typeof mail !== 'string' ? 1 : 0;
      } catch (error) {
        failed += 1;
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 300);
        const giveUp = job.attempts >= MAX_MAIL_ATTEMPTS;
        await deps.db.mailJob.update({
          where: { id: job.id },
          data: giveUp
            ? { status: 'FAILED', lastError: message }
            : { nextAttemptAt: new Date(Date.now() + retryDelaySeconds(job.attempts) * 1000), lastError: message },
        });
        const fields = { mailJob: String(job.id), kind: job.kind, orderId: job.orderId, attempts: job.attempts, reason: message };
        if (giveUp) deps.log.error(fields, 'order mail could not be sent; given up');
        else deps.log.warn({ ...fields, retryInSeconds: retryDelaySeconds(job.attempts) }, 'order mail could not be sent; will retry');
      }
    }
    if (jobs.length < batch) return { sent, failed };
  }
}

/** The job's mail, or why there is none to send (the job is then FAILED with that reason). */
async function jobMail(deps: Pick<AppDeps, 'db' | 'config'>, job: Claimed): Promise<Mail | string> {
  if (job.kind === 'TRANSFER_RECEIVED' || job.kind === 'TRANSFER_COMPLETED') return transferJobMail(deps, job.kind, job.detail?.transferId ?? '');
  if (job.kind === 'HELD_TICKET_CANCELLED') return heldTicketJobMail(deps, job.detail?.holderId ?? '', job.detail?.ticketIds ?? []);
  const data = await mailData(deps, { ...job, kind: job.kind });
  return data ? orderMail(data, deps.config) : 'The buyer’s account was deleted.';
}

/** A claimed transfer's mail: the ticket to its new holder (while they still hold it), or the news to its sender. */
async function transferJobMail(
  deps: Pick<AppDeps, 'db' | 'config'>,
  kind: 'TRANSFER_RECEIVED' | 'TRANSFER_COMPLETED',
  transferId: string,
): Promise<Mail | string> {
  const transfer = await deps.db.ticketTransfer.findUnique({
    where: { id: transferId },
    select: {
      toUserId: true,
      toEmail: true,
      fromUser: { select: { name: true, email: true } },
      toUser: { select: { name: true, email: true } },
      ticket: {
        select: {
          ...printableTicketSelect,
          status: true,
          holderId: true,
          order: { select: { number: true } },
          seat: { select: { event: { select: { id: true, name: true, venue: true, startsAt: true, endsAt: true, timeZone: true } } } },
        },
      },
    },
  });
  if (!transfer) return 'The transfer no longer exists.';
  const { ticket } = transfer;
  const data: TransferMailData = {
    event: ticket.seat.event,
    seat: { row: ticket.rowName, number: ticket.seatNumber, tierName: ticket.tierName },
    from: transfer.fromUser ?? { name: 'Someone', email: '' },
    to: transfer.toUser ?? { name: null, email: transfer.toEmail },
  };
  if (kind === 'TRANSFER_COMPLETED')
    return transfer.fromUser ? transferCompletedMail(data, deps.config.appOrigin) : 'The sender’s account was deleted.';
  // Passed on again (or refunded) before this mail went out: the barcode it would carry is not theirs.
  if (!transfer.toUser || ticket.holderId !== transfer.toUserId || ticket.status !== 'VALID') return 'The ticket is no longer theirs to print.';
  return transferReceivedMail(
    {
      ...data,
      orderNumber: ticket.order.number,
      ticket: {
        barcode: ticket.barcode,
        row: ticket.rowName,
        number: ticket.seatNumber,
        tierName: ticket.tierName,
        priceCents: ticket.priceCents,
        currency: ticket.currency,
      },
    },
    deps.config.appOrigin,
  );
}

/** To someone holding tickets by a transfer that staff cancelled or refunded. */
async function heldTicketJobMail(deps: Pick<AppDeps, 'db' | 'config'>, holderId: string, ticketIds: string[]): Promise<Mail | string> {
  const [holder, tickets] = await Promise.all([
    deps.db.user.findUnique({ where: { id: holderId }, select: { name: true, email: true } }),
    deps.db.issuedTicket.findMany({
      where: { id: { in: ticketIds } },
      orderBy: [{ rowName: 'asc' }, { seatNumber: 'asc' }],
      select: {
        rowName: true,
        seatNumber: true,
        tierName: true,
        seat: { select: { event: { select: { id: true, name: true, venue: true, startsAt: true, endsAt: true, timeZone: true } } } },
      },
    }),
  ]);
  if (!holder) return 'The holder’s account was deleted.';
  if (tickets.length === 0) return 'The tickets no longer exist.';
  return heldTicketCancelledMail(
    holder,
    tickets[0]!.seat.event,
    tickets.map((t) => ({ row: t.rowName, number: t.seatNumber, tierName: t.tierName })),
    deps.config.appOrigin,
  );
}

async function mailData(deps: Pick<AppDeps, 'db'>, job: Claimed & { kind: OrderMailKind }): Promise<OrderMailData | null> {
  const order = await deps.db.order.findUniqueOrThrow({
    where: { id: job.orderId },
    select: {
      id: true,
      number: true,
      subtotalCents: true,
      discountCents: true,
      totalCents: true,
      currency: true,
      paymentMethod: true,
      paymentDueAt: true,
      paidAt: true,
      voucherCode: true,
      userId: true,
      user: { select: { name: true, email: true } },
      event: { select: { id: true, name: true, venue: true, startsAt: true, endsAt: true, timeZone: true } },
      tickets: { select: { ...printableTicketSelect, ...holderSelect } },
    },
  });
  if (!order.user) return null;
  // The confirmation's PDF carries barcodes: only of tickets the buyer still holds (one passed on has another holder's barcode now).
  const tickets =
    job.kind === 'ORDER_CONFIRMED' ? order.tickets.filter((t) => order.userId !== null && holderOf(t, order.userId) === order.userId) : order.tickets;
  return {
    kind: job.kind,
    refund: job.detail,
    order,
    event: order.event,
    buyer: order.user,
    tickets: tickets.map((t) => ({
      barcode: t.barcode,
      row: t.rowName,
      number: t.seatNumber,
      tierName: t.tierName,
      priceCents: t.priceCents,
      currency: t.currency,
    })),
  };
}

export interface MailOutbox {
  /** Something was just queued: send it soon (in the background of this instance). */
  kick(): void;
  start(): void;
  /** Stops after the mail being sent now; what is left stays in the outbox for the next start or another instance. */
  stop(): Promise<void>;
}

class Stopping extends Error {}

/** Above this share of the last moment spent busy, the process is working hard: mail waits. */
const BUSY_UTILISATION = 0.6;
/** How long one mail waits at most for a calm moment, so a backlog always moves. */
const MAX_WAIT_MS = 5_000;

/** The window a calm moment is measured over. */
const CALM_WINDOW_MS = 25;

/**
 * Waits for a calm moment: no API call being answered (`busy`) and the event loop under
 * BUSY_UTILISATION over a 25 ms window (so at most 40 mails a second per instance), or MAX_WAIT_MS.
 * Rendering a mail (its PDF) takes 10-15 ms of CPU: during an on-sale rush the mail falls behind
 * instead of taking CPU from the sales, and catches up when the rush is over. Event-loop
 * utilisation alone misses a rush: the server waits on PostgreSQL, which has the other core.
 */
async function calmMoment(busy: () => boolean): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < MAX_WAIT_MS) {
    const before = performance.eventLoopUtilization();
    await new Promise((resolve) => setTimeout(resolve, CALM_WINDOW_MS));
    if (!busy() && performance.eventLoopUtilization(before).utilization < BUSY_UTILISATION) return;
  }
}

/** The outbox of one instance: kicked after each order change, and polled for jobs others queued or that are due again. */
export function mailOutbox(deps: OutboxDeps & Pick<AppDeps, 'background'>, options: { busy: () => boolean } = { busy: () => false }): MailOutbox {
  let running: Promise<unknown> | null = null;
  let again = false;
  let stopped = false;
  const beforeEach = async () => {
    if (stopped) throw new Stopping();
    await calmMoment(options.busy);
    if (stopped) throw new Stopping();
  };
  const drain = (): Promise<unknown> => {
    if (running) {
      again = true;
      return running;
    }
    if (stopped) return Promise.resolve();
    // One job per claim: each waits for its calm moment, and a stop never strands a claimed job.
    running = sendDueMail(deps, { beforeEach, batch: 1 })
      .catch((error: unknown) => {
        if (!(error instanceof Stopping)) throw error;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          deps.background.run('order mail', drain);
        }
      });
    return running;
  };
  const poll = intervalTask({
    intervalMs: POLL_MS,
    run: async () => void (await drain()),
    onError: (err) => deps.log.warn({ err }, 'mail outbox failed; will retry'),
  });
  return {
    kick: () => deps.background.run('order mail', drain),
    start: () => poll.start(),
    stop: async () => {
      stopped = true;
      await poll.stop();
      await running;
    },
  };
}
