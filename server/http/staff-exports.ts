import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { minorUnits } from '../../shared/money.js';
import { salesReportInput } from '../../shared/sales.js';
import type { AppDeps } from '../deps.js';
import { afterCursor } from '../db/pagination.js';
import { AppError } from '../services/errors.js';
import { salesReport } from '../services/sales/sales-report.js';
import { isStaff } from '../services/users/viewer.js';
import { batches, sendCsv } from './csv.js';
import type { HttpDeps } from './deps.js';
import { sendAppError } from './guard.js';

/** Money as a spreadsheet sums it: major units with the currency's decimals ("60.00", "1200" for JPY). */
export function amount(cents: number, currency: string): string {
  const unit = minorUnits(currency);
  const digits = Math.round(Math.log10(unit));
  return (cents / unit).toFixed(digits);
}

const day = () => new Date().toISOString().slice(0, 10);
const eventQuery = z.object({ eventId: z.uuid('Not an event id.').optional() });

const ORDER_COLUMNS = [
  'order',
  'placed_at',
  'event',
  'buyer_name',
  'buyer_email',
  'status',
  'tickets',
  'seats',
  'subtotal',
  'discount',
  'total',
  'currency',
  'cancelled_at',
] as const;
const ATTENDEE_COLUMNS = ['name', 'email', 'order', 'row', 'seat', 'tier', 'price', 'currency', 'status', 'checked_in_at'] as const;
const REPORT_COLUMNS = ['section', 'name', 'currency', 'orders', 'cancelled_orders', 'tickets', 'gross', 'discounts', 'refunds', 'net'] as const;
/** What an attendee line shows of a ticket (also read by bench/export.bench.ts's baseline). */
export const attendeeSelect = {
  rowName: true,
  seatNumber: true,
  tierName: true,
  priceCents: true,
  currency: true,
  status: true,
  checkedInAt: true,
  order: { select: { number: true, user: { select: { name: true, email: true } } } },
  /** Whoever a ticket was passed on to (ticket transfer): they are the attendee, not the buyer. */
  holder: { select: { name: true, email: true } },
} satisfies Prisma.IssuedTicketSelect;

const TICKET_STATUS = { VALID: 'valid', CHECKED_IN: 'checked in', CANCELLED: 'cancelled', PENDING: 'awaiting payment' } as const;

/**
 * Staff downloads, as CSV (approved staff and admins; 401 without a token, 403 for others):
 * - GET /api/staff/orders.csv[?eventId=]: every order, newest first, with buyer, seats and money;
 * - GET /api/staff/attendees.csv?eventId=: the event's ticket holders with seat and barcode status;
 * - GET /api/staff/report.csv[?eventId=&from=&to=]: admin.sales.report's figures, one line each.
 * - GET /api/staff/vouchers.csv?eventId=: the event's vouchers and promo codes with their uses (bulk codes to hand out).
 * Orders and attendees stream in batches (csv.ts): 100,000 lines without holding them in memory.
 */
/** Codes: `value` is a percentage (kind percent) or cents (amount off the order, price per ticket). */
const VOUCHER_COLUMNS = [
  'code',
  'kind',
  'value',
  'tiers',
  'valid_from',
  'valid_until',
  'max_uses',
  'max_uses_per_customer',
  'uses',
  'active',
  'unlocks_presale',
  'note',
  'created_at',
] as const;

export function staffExportRoutes(app: FastifyInstance, deps: AppDeps, http: HttpDeps): void {
  const staffOnly = async (req: FastifyRequest) => {
    const auth = await http.authenticate(req);
    if (!auth) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
    if (!isStaff(auth.user)) throw new AppError('NOT_ALLOWED', 'Staff only.');
  };
  const query = <T>(schema: z.ZodType<T>, req: FastifyRequest): T => {
    const parsed = schema.safeParse(req.query);
    if (!parsed.success) throw new AppError('INVALID_INPUT', parsed.error.issues[0]?.message ?? 'These filters are not valid.');
    return parsed.data;
  };
  const route = (
    url: string,
    handler: (req: FastifyRequest) => Promise<{ filename: string; columns: readonly string[]; lines: AsyncIterable<Record<string, unknown>> }>,
  ) =>
    app.get(url, async (req, reply) => {
      try {
        await staffOnly(req);
        const { filename, columns, lines } = await handler(req);
        return await sendCsv(reply, filename, columns, lines);
      } catch (error) {
        if (error instanceof AppError) return sendAppError(reply, error);
        throw error;
      }
    });

  route('/api/staff/orders.csv', async (req) => {
    const { eventId } = query(eventQuery, req);
    const lines = batches(
      (cursor, take) =>
        deps.db.order.findMany({
          where: { AND: [eventId ? { eventId } : {}, afterCursor(cursor, 'createdAt', 'desc')] },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take,
          select: {
            id: true,
            number: true,
            createdAt: true,
            status: true,
            subtotalCents: true,
            discountCents: true,
            totalCents: true,
            currency: true,
            cancelledAt: true,
            event: { select: { name: true } },
            user: { select: { name: true, email: true } },
            tickets: { select: { rowName: true, seatNumber: true }, orderBy: [{ rowName: 'asc' }, { seatNumber: 'asc' }] },
          },
        }),
      (o) => o.createdAt,
      (orders) =>
        orders.map((o) => ({
          order: o.number,
          placed_at: o.createdAt.toISOString(),
          event: o.event.name,
          buyer_name: o.user?.name ?? '',
          buyer_email: o.user?.email ?? '(account deleted)',
          status: o.status.toLowerCase(),
          tickets: o.tickets.length,
          // A cancelled order's seats went back on sale; its tickets still name them.
          seats: o.tickets.map((t) => `${t.rowName}${t.seatNumber}`).join(' '),
          subtotal: amount(o.subtotalCents, o.currency),
          discount: amount(o.discountCents, o.currency),
          total: amount(o.totalCents, o.currency),
          currency: o.currency,
          cancelled_at: o.cancelledAt?.toISOString() ?? '',
        })),
    );
    return { filename: `tessera-orders-${day()}.csv`, columns: ORDER_COLUMNS, lines };
  });

  route('/api/staff/vouchers.csv', async (req) => {
    const { eventId } = query(z.object({ eventId: z.uuid('Choose an event: codes are listed per event.') }), req);
    const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { name: true } });
    if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
    const lines = batches(
      (cursor, take) =>
        deps.db.voucher.findMany({
          where: { AND: [{ eventId }, afterCursor(cursor, 'createdAt', 'desc')] },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take,
          select: {
            id: true,
            code: true,
            kind: true,
            value: true,
            tierIds: true,
            validFrom: true,
            validUntil: true,
            maxUses: true,
            maxUsesPerUser: true,
            uses: true,
            active: true,
            unlocksHidden: true,
            note: true,
            createdAt: true,
          },
        }),
      (v) => v.createdAt,
      (vouchers) =>
        vouchers.map((v) => ({
          code: v.code,
          kind: v.kind,
          value: v.value,
          tiers: v.tierIds.length === 0 ? 'all' : v.tierIds.join(' '),
          valid_from: v.validFrom?.toISOString() ?? '',
          valid_until: v.validUntil?.toISOString() ?? '',
          max_uses: v.maxUses ?? '',
          max_uses_per_customer: v.maxUsesPerUser ?? '',
          uses: v.uses,
          active: v.active ? 'yes' : 'no',
          unlocks_presale: v.unlocksHidden ? 'yes' : 'no',
          note: v.note ?? '',
          created_at: v.createdAt.toISOString(),
        })),
    );
    return { filename: `tessera-codes-${day()}.csv`, columns: VOUCHER_COLUMNS, lines };
  });

  route('/api/staff/attendees.csv', async (req) => {
    const { eventId } = query(z.object({ eventId: z.uuid('Choose an event: attendees are listed per event.') }), req);
    const event = await deps.db.event.findUnique({ where: { id: eventId }, select: { name: true } });
    if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
    const lines = batches(
      (cursor, take) =>
        deps.db.issuedTicket.findMany({
          where: { AND: [{ eventId }, afterCursor(cursor, 'createdAt', 'asc')] },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          take,
          select: { id: true, createdAt: true, ...attendeeSelect },
        }),
      (t) => t.createdAt,
      (tickets) =>
        tickets.map((t) => ({
          name: (t.holder ?? t.order.user)?.name ?? '',
          email: (t.holder ?? t.order.user)?.email ?? '(account deleted)',
          order: t.order.number,
          row: t.rowName,
          seat: t.seatNumber,
          tier: t.tierName,
          price: amount(t.priceCents, t.currency),
          currency: t.currency,
          status: TICKET_STATUS[t.status],
          checked_in_at: t.checkedInAt?.toISOString() ?? '',
        })),
    );
    const slug =
      event.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 40) || 'event';
    return { filename: `tessera-attendees-${slug}-${day()}.csv`, columns: ATTENDEE_COLUMNS, lines };
  });

  route('/api/staff/report.csv', async (req) => {
    const report = await salesReport(deps, query(salesReportInput, req));
    const line = (
      section: string,
      name: string,
      currency: string,
      f: {
        orders?: number;
        cancelledOrders?: number;
        ticketsSold: number;
        grossCents: number;
        discountCents: number;
        refundedCents: number;
        netCents: number;
      },
    ) => ({
      section,
      name,
      currency,
      orders: f.orders ?? '',
      cancelled_orders: f.cancelledOrders ?? '',
      tickets: f.ticketsSold,
      gross: amount(f.grossCents, currency),
      discounts: amount(f.discountCents, currency),
      refunds: amount(f.refundedCents, currency),
      net: amount(f.netCents, currency),
    });
    async function* lines() {
      if (report.totals.currency) yield line('total', 'All events', report.totals.currency, report.totals);
      for (const e of report.byEvent) yield line('event', e.eventName, e.currency, e);
      for (const d of report.byDay) yield line('day', d.day, d.currency, d);
      for (const t of report.byTier) yield line('tier', `${t.eventName}: ${t.tierName}`, t.currency, t);
    }
    return { filename: `tessera-sales-report-${day()}.csv`, columns: REPORT_COLUMNS, lines: lines() };
  });
}
