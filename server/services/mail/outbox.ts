import { performance } from 'node:perf_hooks';
import type { AppDeps } from '../../deps.js';
import { NOW } from '../../db/transact.js';
import { intervalTask } from '../../lib/interval-task.js';
import { orderMail, type OrderMailData, type OrderMailKind } from './order-mail.js';

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
  kind: OrderMailKind;
  orderId: string;
  attempts: number;
  detail: { barcodes?: string[]; amountCents?: number } | null;
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
        const data = await mailData(deps, job);
        if (data) await deps.mailer.send(await orderMail(data, deps.config));
        await deps.db.mailJob.update({
          where: { id: job.id },
          data: data ? { status: 'SENT', sentAt: new Date(), lastError: null } : { status: 'FAILED', lastError: 'The buyer’s account was deleted.' },
        });
        sent += data ? 1 : 0;
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

async function mailData(deps: Pick<AppDeps, 'db'>, job: Claimed): Promise<OrderMailData | null> {
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
      user: { select: { name: true, email: true } },
      event: { select: { id: true, name: true, venue: true, startsAt: true, endsAt: true, timeZone: true } },
      tickets: { select: { barcode: true, rowName: true, seatNumber: true, tierName: true, priceCents: true, currency: true } },
    },
  });
  if (!order.user) return null;
  return {
    kind: job.kind,
    refund: job.detail,
    order,
    event: order.event,
    buyer: order.user,
    tickets: order.tickets.map((t) => ({ ...t, row: t.rowName, number: t.seatNumber })),
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
