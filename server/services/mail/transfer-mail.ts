import { formatEventTime } from '../../../shared/money.js';
import { escapeHtml, type Mail } from '../../lib/mail.js';
import { calendarFile } from '../orders/calendar.js';
import { ticketsPdf, type PrintableTicket } from '../tickets/ticket-pdf.js';

export interface TransferMailData {
  event: { id: string; name: string; venue: string; startsAt: Date; endsAt: Date | null; timeZone: string };
  seat: { row: string; number: number; tierName: string };
  from: { name: string; email: string };
  to: { name: string | null; email: string };
}

/** Plain text and HTML from the same paragraphs; a line holding `link` makes it a link in HTML. */
function simpleMail(to: string, subject: string, paragraphs: string[], link?: string): Mail {
  const text = paragraphs.join('\n\n');
  const html = `<!doctype html><html><body style="margin:0;padding:24px;background:#f6f7fb;font-family:Arial,Helvetica,sans-serif;color:#111827">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
${paragraphs
  .map((p) => {
    const safe = escapeHtml(p);
    return `<p>${link ? safe.replace(escapeHtml(link), `<a href="${escapeHtml(link)}" style="color:#1d4ed8">${escapeHtml(link)}</a>`) : safe}</p>`;
  })
  .join('\n')}
</div></body></html>`;
  return { to, subject, text, html, ...(link ? { link } : {}) };
}

const seatLabel = (seat: TransferMailData['seat']) => `row ${seat.row}, seat ${seat.number} (${seat.tierName})`;

/** To the recipient when a ticket is sent: what it is, who sent it, the claim link (sent directly: the token is not stored). */
export function transferOfferMail(data: TransferMailData, link: string): Mail {
  const when = formatEventTime(data.event.startsAt, data.event.timeZone);
  return simpleMail(
    data.to.email,
    `${data.from.name} sent you a ticket for ${data.event.name}`,
    [
      'Hello,',
      `${data.from.name} (${data.from.email}) sent you a ticket: ${data.event.name}, ${when}, ${data.event.venue}; ${seatLabel(data.seat)}.`,
      `Claim it here, signed in with this address (${data.to.email}); if you have no Tessera account yet, create one with it: ${link}`,
      'Once you claim it, the ticket gets a new barcode that only you have; the one the sender had stops working. The link works until the event starts.',
      'If you did not expect this, ignore this mail: nothing happens unless you claim it.',
      'Tessera',
    ],
    link,
  );
}

/** To the new holder once they claimed: the ticket as a PDF under its new barcode, and the event as an .ics file. */
export async function transferReceivedMail(
  data: TransferMailData & { orderNumber: string; ticket: PrintableTicket },
  appOrigin: string,
): Promise<Mail> {
  const link = `${appOrigin}/tickets`;
  const mail = simpleMail(
    data.to.email,
    `Your ticket for ${data.event.name} · row ${data.seat.row}, seat ${data.seat.number}`,
    [
      `Hello ${data.to.name ?? ''},`.replace(' ,', ','),
      `The ticket ${data.from.name} sent you is yours now: ${data.event.name}, ${formatEventTime(data.event.startsAt, data.event.timeZone)}, ${data.event.venue}; ${seatLabel(data.seat)}.`,
      'It is attached as a PDF under its new barcode: show the QR code at the door, on your phone or on paper. The event is attached as a calendar file too.',
      `Your tickets online: ${link}`,
      'Tessera',
    ],
    link,
  );
  const pdf = await ticketsPdf(
    {
      number: data.orderNumber,
      eventName: data.event.name,
      venue: data.event.venue,
      startsAt: data.event.startsAt,
      holderName: data.to.name ?? data.to.email,
      tickets: [data.ticket],
    },
    data.event.timeZone,
  );
  const ics = calendarFile({
    orderNumber: `${data.orderNumber}-${data.seat.row}${data.seat.number}`,
    eventId: data.event.id,
    eventName: data.event.name,
    venue: data.event.venue,
    startsAt: data.event.startsAt,
    endsAt: data.event.endsAt,
    url: link,
  });
  return {
    ...mail,
    attachments: [
      { filename: `ticket-${data.orderNumber}-${data.seat.row}${data.seat.number}.pdf`, content: pdf, contentType: 'application/pdf' },
      { filename: `${data.orderNumber}.ics`, content: Buffer.from(ics), contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
    ],
  };
}

/** To the sender once the transfer was claimed: the ticket left them, its old barcode no longer works. */
export function transferCompletedMail(data: TransferMailData, appOrigin: string): Mail {
  const link = `${appOrigin}/tickets`;
  return simpleMail(
    data.from.email,
    `Your ticket for ${data.event.name} was claimed by ${data.to.email}`,
    [
      `Hello ${data.from.name},`,
      `${data.to.email} claimed the ticket you sent: ${data.event.name}, ${formatEventTime(data.event.startsAt, data.event.timeZone)}; ${seatLabel(data.seat)}.`,
      'It has a new barcode now, so the copy you had (printed, in a mail or on your phone) no longer opens the door.',
      `Your tickets: ${link}`,
      'Tessera',
    ],
    link,
  );
}

/** To someone holding tickets by a transfer, when staff cancelled or refunded them (the refund goes to the buyer). */
export function heldTicketCancelledMail(
  holder: { name: string; email: string },
  event: TransferMailData['event'],
  seats: Array<TransferMailData['seat']>,
  appOrigin: string,
): Mail {
  const link = `${appOrigin}/tickets`;
  const one = seats.length === 1;
  return simpleMail(
    holder.email,
    `${one ? 'Your ticket' : `${seats.length} of your tickets`} for ${event.name} ${one ? 'was' : 'were'} cancelled`,
    [
      `Hello ${holder.name},`,
      `The organiser cancelled ${one ? 'the ticket' : 'the tickets'} passed on to you for ${event.name}, ${formatEventTime(event.startsAt, event.timeZone)}: ${seats.map(seatLabel).join('; ')}.`,
      `${one ? 'It no longer opens' : 'They no longer open'} the door. Any refund goes to whoever bought ${one ? 'it' : 'them'}; please ask them, or the box office, about it.`,
      `Your tickets: ${link}`,
      'Tessera',
    ],
    link,
  );
}
