import { formatEventTime, formatMoney } from '../../../shared/money.js';
import { compareSeats } from '../../../shared/seats.js';
import { escapeHtml, type Mail } from '../../lib/mail.js';
import { calendarFile } from '../orders/calendar.js';
import { ticketsPdf } from '../tickets/ticket-pdf.js';

export type OrderMailKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED' | 'ORDER_PENDING' | 'ORDER_EXPIRED' | 'TICKETS_REFUNDED';

export interface OrderMailData {
  kind: OrderMailKind;
  order: {
    id: string;
    number: string;
    subtotalCents: number;
    discountCents: number;
    totalCents: number;
    currency: string;
    paymentMethod: string;
    paymentDueAt: Date | null;
    paidAt: Date | null;
    voucherCode?: string | null;
  };
  event: { id: string; name: string; venue: string; startsAt: Date; endsAt: Date | null; timeZone?: string };
  buyer: { name: string; email: string };
  /** What this mail's refund returned: which tickets (partial refunds) and how much. Absent on older jobs. */
  refund?: { barcodes?: string[]; amountCents?: number } | null;
  tickets: Array<{ barcode: string; row: string; number: number; tierName: string; priceCents: number; currency: string }>;
}

/** One line of the mail's summary: what, and how much. Text and HTML are made from the same lines. */
type Line = { label: string; amount: string; strong?: boolean };

/** What a mail says before its summary, its subject, and the label of its total line. */
function wording(
  data: OrderMailData,
  money: (cents: number) => string,
  due: string,
  bankTransferDetails: string,
): { intro: string[]; subject: string; totalLabel: string } {
  const { order, event } = data;
  const count = data.tickets.length;
  const total = money(order.totalCents);
  switch (data.kind) {
    case 'ORDER_CONFIRMED':
      return {
        intro: [
          order.paymentMethod === 'instant' ? 'Thank you for your order.' : `Thank you: your payment of ${total} has arrived.`,
          `Your ${count === 1 ? 'ticket is' : `${count} tickets are`} attached as a PDF: show the QR code at the door, on your phone or on paper.`,
          'The event is attached as a calendar file too.',
        ],
        subject: `Your tickets for ${event.name} · ${order.number}`,
        totalLabel: 'Total paid',
      };
    case 'ORDER_PENDING': {
      const how =
        order.paymentMethod === 'bank_transfer'
          ? [
              `Please transfer ${total} by ${due}, with ${order.number} as the payment reference, to:`,
              bankTransferDetails || 'the account the box office gives you (reply to this mail to ask for it).',
            ]
          : [`Please pay ${total} at the box office by ${due}, quoting order ${order.number}.`];
      return {
        intro: [
          `Your ${count === 1 ? 'seat is' : `${count} seats are`} held for you until then.`,
          ...how,
          'Your tickets are mailed to you as soon as the payment is recorded. If it has not arrived by then, the order lapses and the seats go back on sale.',
        ],
        subject: `Order ${order.number}: please pay ${total} by ${due}`,
        totalLabel: 'To pay',
      };
    }
    case 'ORDER_EXPIRED':
      return {
        intro: [
          `Your order ${order.number} was not paid by ${due}, so it has lapsed and its seats are back on sale.`,
          'Nothing was charged. If you still want to come, you are welcome to order again while seats are left.',
        ],
        subject: `Order ${order.number} lapsed unpaid`,
        totalLabel: 'Total (not charged)',
      };
    case 'TICKETS_REFUNDED': {
      const amount = money(data.refund?.amountCents ?? 0);
      return {
        intro: [
          `${count === 1 ? 'This ticket' : `These ${count} tickets`} of your order ${order.number} ${count === 1 ? 'was' : 'were'} refunded: ${count === 1 ? 'it no longer opens' : 'they no longer open'} the door, and the seats are back on sale.`,
          `${amount} is refunded to you. Your other tickets of the order stay valid.`,
        ],
        subject: `Order ${order.number}: ${count === 1 ? '1 ticket' : `${count} tickets`} refunded · ${amount}`,
        totalLabel: 'Refunded',
      };
    }
    case 'ORDER_CANCELLED': {
      // What this cancellation paid back: the total, less tickets refunded before.
      const refunded = money(data.refund?.amountCents ?? order.totalCents);
      return order.paidAt
        ? {
            intro: [
              `Your order ${order.number} was cancelled. Its tickets no longer open the door, and their seats are back on sale.`,
              `The amount paid, ${refunded}, is refunded to you.`,
            ],
            subject: `Order ${order.number} cancelled · ${refunded} refunded`,
            totalLabel: 'Refunded',
          }
        : {
            intro: [
              `Your order ${order.number} was cancelled before it was paid, and its seats are back on sale.`,
              'Nothing was charged, so there is nothing to refund. Please do not send a payment for it.',
            ],
            subject: `Order ${order.number} cancelled`,
            totalLabel: 'Total (not charged)',
          };
    }
  }
}

/**
 * The mail about an order: its confirmation (the tickets as one PDF, and the event as an .ics
 * calendar file), how and by when to pay an order placed to pay later, that an unpaid order lapsed,
 * its cancellation (and refund, when it was paid), or some of its tickets refunded. Plain text and
 * HTML say the same things, from the same lines. Only the confirmation carries tickets.
 */
export async function orderMail(
  mailed: OrderMailData,
  options: { appOrigin: string; timeZone: string; bankTransferDetails?: string },
): Promise<Mail> {
  // A partial refund's mail is about the refunded tickets only.
  const partial = mailed.kind === 'TICKETS_REFUNDED';
  const data = partial ? { ...mailed, tickets: mailed.tickets.filter((t) => mailed.refund?.barcodes?.includes(t.barcode)) } : mailed;
  const { order, event, buyer } = data;
  const tickets = [...data.tickets].sort(compareSeats);
  const refundedNow = data.kind === 'ORDER_CANCELLED' && order.paidAt ? (data.refund?.amountCents ?? order.totalCents) : null;
  const money = (cents: number) => formatMoney(cents, order.currency);
  const link = `${options.appOrigin}/tickets?order=${order.id}`;
  const confirmed = data.kind === 'ORDER_CONFIRMED';
  const timeZone = event.timeZone ?? options.timeZone;
  const due = order.paymentDueAt ? formatEventTime(order.paymentDueAt, timeZone) : '';
  const { intro, subject, totalLabel } = wording(data, money, due, options.bankTransferDetails ?? '');
  const when = formatEventTime(event.startsAt, timeZone);
  const lines: Line[] = [
    ...tickets.map((t) => ({ label: `Row ${t.row}, seat ${t.number} · ${t.tierName}`, amount: formatMoney(t.priceCents, t.currency) })),
    ...(order.discountCents > 0 && !partial
      ? [
          { label: 'Subtotal', amount: money(order.subtotalCents) },
          { label: order.voucherCode ? `Code ${order.voucherCode}` : 'Group discount', amount: `−${money(order.discountCents)}` },
        ]
      : []),
    { label: totalLabel, amount: money(partial ? (data.refund?.amountCents ?? 0) : (refundedNow ?? order.totalCents)), strong: true },
  ];

  const width = Math.max(...lines.map((l) => l.label.length)) + 4;
  const text = [
    `Hello ${buyer.name},`,
    '',
    ...intro,
    '',
    `Order ${order.number}`,
    event.name,
    when,
    event.venue,
    '',
    ...lines.map((l) => `${l.label.padEnd(width)}${l.amount}`),
    '',
    `${confirmed ? 'Your tickets online' : 'Your orders'}: ${link}`,
    '',
    'Tessera',
  ].join('\n');

  const cell = 'padding:6px 0;border-bottom:1px solid #e5e7eb';
  const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f6f7fb;font-family:Arial,Helvetica,sans-serif;color:#111827">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
<p>Hello ${escapeHtml(buyer.name)},</p>
${intro.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p style="margin:20px 0 4px;font-size:13px;color:#4b5563">Order <strong style="color:#111827">${escapeHtml(order.number)}</strong></p>
<h1 style="margin:0 0 4px;font-size:20px">${escapeHtml(event.name)}</h1>
<p style="margin:0">${escapeHtml(when)}<br>${escapeHtml(event.venue)}</p>
<table role="presentation" style="width:100%;border-collapse:collapse;margin:16px 0;font-size:14px">
${lines
  .map(
    (l) =>
      `<tr><td style="${cell}${l.strong ? ';font-weight:bold' : ''}">${escapeHtml(l.label)}</td><td style="${cell};text-align:right${l.strong ? ';font-weight:bold' : ''}">${escapeHtml(l.amount)}</td></tr>`,
  )
  .join('\n')}
</table>
<p><a href="${escapeHtml(link)}" style="color:#1d4ed8">${confirmed ? 'Your tickets online' : 'Your orders'}</a></p>
<p style="color:#4b5563;font-size:13px">Tessera</p>
</div></body></html>`;

  if (!confirmed) return { to: buyer.email, subject, text, html };

  const pdf = await ticketsPdf(
    { number: order.number, eventName: event.name, venue: event.venue, startsAt: event.startsAt, holderName: buyer.name, tickets },
    timeZone,
  );
  const ics = calendarFile({
    orderNumber: order.number,
    eventId: event.id,
    eventName: event.name,
    venue: event.venue,
    startsAt: event.startsAt,
    endsAt: event.endsAt,
    url: link,
  });
  return {
    to: buyer.email,
    subject,
    text,
    html,
    attachments: [
      { filename: `tickets-${order.number}.pdf`, content: pdf, contentType: 'application/pdf' },
      { filename: `${order.number}.ics`, content: Buffer.from(ics), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
    ],
  };
}
