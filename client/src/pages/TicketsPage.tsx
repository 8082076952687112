import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Barcode } from '../components/Barcode';
import { PendingButton } from '../components/Form';
import { LoadError, Loading } from '../components/QueryStatus';
import { QrCode } from '../components/QrCode';
import { useToast } from '../components/Toasts';
import { useCancelOrder } from '../features/orders/api';
import { PendingTransfer, SendTicketForm } from '../features/transfers/SendTicket';
import { downloadFile, ticketsPdfUrl } from '../lib/download';
import { formatDate, formatDateTime, formatMoney } from '../lib/format';
import { useNow } from '../lib/useNow';
import { trpc, type RouterOutputs } from '../trpc';

type Order = RouterOutputs['orders']['mine'][number];
type IssuedTicket = RouterOutputs['tickets']['mine'][number];

const TICKET_STATUS: Record<IssuedTicket['status'], string> = {
  PENDING: 'Awaiting payment',
  VALID: 'Valid',
  CHECKED_IN: 'Checked in',
  CANCELLED: 'Refunded',
  TRANSFERRED: 'Passed on',
};
const TICKET_BADGE: Record<IssuedTicket['status'], string> = {
  PENDING: 'warn',
  VALID: 'ok',
  CHECKED_IN: 'info',
  CANCELLED: 'danger',
  TRANSFERRED: 'neutral',
};

/** A ticket that still opens the door for the person looking at it (its PDF can be downloaded). */
const held = (ticket: IssuedTicket) => ticket.status === 'VALID' || ticket.status === 'CHECKED_IN';

/** Downloads a PDF of tickets; a refusal shows as a toast. */
function useDownload() {
  const toast = useToast();
  return (url: string) =>
    void downloadFile(url).catch((error: unknown) => toast.error(error instanceof Error ? error.message : 'The download failed. Please try again.'));
}

/** The order's state as its badge says it, and the word before its amount. */
function orderState(order: Order): { label: string; badge: string; amountPrefix: string } {
  switch (order.status) {
    case 'PAID':
      return { label: 'Paid', badge: 'ok', amountPrefix: '' };
    case 'PENDING':
      return { label: 'Awaiting payment', badge: 'warn', amountPrefix: 'To pay ' };
    case 'EXPIRED':
      return { label: 'Lapsed unpaid', badge: 'neutral', amountPrefix: 'Not charged ' };
    case 'CANCELLED':
      return order.paidAt
        ? { label: 'Cancelled · refunded', badge: 'danger', amountPrefix: 'Refunded ' }
        : { label: 'Cancelled', badge: 'danger', amountPrefix: 'Not charged ' };
  }
}

const PAY_AT: Record<string, string> = {
  box_office: 'at the box office, quoting your order number',
  bank_transfer: 'by bank transfer, with your order number as the payment reference (the account details are in the mail we sent you)',
};

function TicketCard({ ticket, onDownload, wasPaid }: { ticket: IssuedTicket; onDownload: (() => void) | null; wasPaid: boolean }) {
  const [barcode, setBarcode] = useState(false);
  const [sending, setSending] = useState(false);
  const refunded = ticket.status === 'CANCELLED';
  // A ticket of an unpaid order has no code to show yet: it would not open the door.
  const unpaid = ticket.status === 'PENDING';
  // Sent to someone who claimed it: the barcode shown before is dead, so none is shown.
  const passedOn = ticket.status === 'TRANSFERRED';
  const usable = !refunded && !unpaid && !passedOn;
  const open = ticket.transfer?.state === 'PENDING' ? ticket.transfer : null;
  const formId = `send-${ticket.orderId}-${ticket.row}-${ticket.number}`;
  return (
    <li className={`ticket ticket-${ticket.status.toLowerCase()}`}>
      <div className="ticket-body">
        <div className="ticket-main">
          <p className="eyebrow">{ticket.tierName}</p>
          <p className="ticket-seat">
            Row {ticket.row} · Seat {ticket.number}
          </p>
          <p className="small">{formatMoney(ticket.priceCents, ticket.currency)}</p>
          {ticket.receivedFrom && <p className="small">From {ticket.receivedFrom}</p>}
          <span className={`badge badge-${TICKET_BADGE[ticket.status]}`}>{refunded && !wasPaid ? 'Cancelled' : TICKET_STATUS[ticket.status]}</span>
          {usable && (
            <div className="ticket-links no-print">
              {onDownload && (
                <button type="button" className="link-button" onClick={onDownload}>
                  PDF
                  <span className="visually-hidden">
                    {' '}
                    of row {ticket.row} seat {ticket.number}
                  </span>
                </button>
              )}
              <button type="button" className="link-button" aria-expanded={barcode} onClick={() => setBarcode((b) => !b)}>
                {barcode ? 'Hide barcode' : 'Show barcode'}
                <span className="visually-hidden">
                  {' '}
                  of row {ticket.row} seat {ticket.number}
                </span>
              </button>
            </div>
          )}
          {ticket.transferable && (
            <div className="ticket-links no-print">
              <button
                type="button"
                className="link-button"
                aria-expanded={sending}
                aria-controls={sending ? formId : undefined}
                onClick={() => setSending((s) => !s)}
              >
                {open ? 'Send again' : 'Send to someone'}
                <span className="visually-hidden">
                  {' '}
                  row {ticket.row} seat {ticket.number}
                </span>
              </button>
            </div>
          )}
        </div>
        {refunded ? (
          <p className="ticket-void">This ticket was {wasPaid ? 'refunded' : 'cancelled'} and no longer opens the door.</p>
        ) : unpaid ? (
          <p className="ticket-void">The QR code comes once the order is paid.</p>
        ) : passedOn ? (
          <p className="ticket-void">
            Passed on to <strong className="ticket-email">{ticket.transfer?.email ?? 'someone else'}</strong>
            {ticket.transfer ? ` on ${formatDate(ticket.transfer.until)}` : ''}; this copy no longer opens the door.
          </p>
        ) : (
          <div className="ticket-codes">
            <QrCode value={ticket.barcode} label={`QR code for row ${ticket.row} seat ${ticket.number}`} />
            <code className="ticket-code">{ticket.barcode}</code>
          </div>
        )}
      </div>
      {usable && barcode && <Barcode value={ticket.barcode} />}
      {open && <PendingTransfer transfer={open} seat={ticket} />}
      {sending && <SendTicketForm id={formId} ticket={ticket} initialEmail={open?.email ?? ''} onClose={() => setSending(false)} />}
    </li>
  );
}

function OrderCard({ order, highlighted }: { order: Order; highlighted: boolean }) {
  const cancel = useCancelOrder();
  const toast = useToast();
  const downloadFrom = useDownload();
  const [confirming, setConfirming] = useState(false);
  const first = order.tickets[0];
  const now = useNow(60_000);
  const upcoming = first ? Date.parse(first.startsAt) > now : false;

  const download = (seat?: { row: string; number: number }) => downloadFrom(ticketsPdfUrl(order.id, seat));
  const print = () => {
    // Only this order is printed (styles.css, @media print): one ticket per page.
    const card = document.getElementById(`order-${order.id}-card`);
    document.body.classList.add('printing-order');
    card?.classList.add('print-target');
    window.addEventListener(
      'afterprint',
      () => {
        document.body.classList.remove('printing-order');
        card?.classList.remove('print-target');
      },
      { once: true },
    );
    window.print();
  };
  const paid = order.status === 'PAID';
  const pending = order.status === 'PENDING';
  const state = orderState(order);
  // Every ticket passed on: nothing of this order is left to download or print.
  const printable = paid && order.tickets.some(held);

  const doCancel = () =>
    cancel.run(
      { id: order.id },
      {
        onSuccess: () => {
          toast.success(paid ? 'Your order is cancelled and its seats are back on sale.' : 'Your order is cancelled; nothing was charged.');
          setConfirming(false);
        },
      },
    );

  return (
    <article
      className={`order card ${highlighted ? 'order-new' : ''}`}
      aria-labelledby={`order-${order.id}`}
      id={`order-${order.id}-card`}
      data-order={order.id}
    >
      <header className="order-head">
        <div>
          <h2 id={`order-${order.id}`}>
            <Link to={`/events/${order.eventId}`}>{order.eventName}</Link>
          </h2>
          <p className="muted small">
            {first ? formatDateTime(first.startsAt) : ''} · Order <strong className="order-number">{order.number}</strong> placed{' '}
            {formatDate(order.createdAt)} · {order.tickets.length} {order.tickets.length === 1 ? 'ticket' : 'tickets'}
          </p>
        </div>
        <div className="order-total">
          <span className={`badge badge-${state.badge}`}>{state.label}</span>
          <strong>
            {state.amountPrefix}
            {formatMoney(order.totalCents, order.currency)}
          </strong>
          {order.discountCents > 0 && <span className="small muted">saved {formatMoney(order.discountCents, order.currency)}</span>}
          {paid && order.refundedCents > 0 && <span className="small muted">{formatMoney(order.refundedCents, order.currency)} refunded</span>}
        </div>
      </header>
      {pending && order.paymentDueAt && (
        <div className="notice notice-warn pay-later">
          <div className="pay-later-text">
            <p>
              Please pay <strong>{formatMoney(order.totalCents, order.currency)}</strong> by <strong>{formatDateTime(order.paymentDueAt)}</strong>{' '}
              {PAY_AT[order.paymentMethod] ?? ''}: <strong className="order-number">{order.number}</strong>.
            </p>
            <p className="small">
              Your seats are yours until then. The tickets appear here, and in your mail, as soon as the payment is recorded; if it has not arrived by
              then, the order lapses and the seats go back on sale.
            </p>
          </div>
          {/* The box office scans the order number (Staff, Orders) instead of typing it. */}
          {order.paymentMethod === 'box_office' && (
            <figure className="pay-later-code">
              <QrCode value={order.number} size={120} label={`Order number ${order.number} as a QR code`} />
              <figcaption className="small">Show this at the box office</figcaption>
            </figure>
          )}
        </div>
      )}
      <ul className="tickets">
        {order.tickets.map((ticket) => (
          <TicketCard
            key={`${ticket.row}-${ticket.number}`}
            ticket={ticket}
            onDownload={paid ? () => download(ticket) : null}
            wasPaid={order.paidAt !== null}
          />
        ))}
      </ul>
      {(paid || pending) && (
        <footer className="order-actions no-print">
          {printable && (
            <div className="button-row">
              <button type="button" className="button button-secondary" onClick={() => download()}>
                Download tickets (PDF)
              </button>
              <button type="button" className="button button-ghost" onClick={print}>
                Print
              </button>
            </div>
          )}
          {!upcoming ? null : confirming ? (
            <div className="confirm" role="group" aria-label="Confirm cancellation">
              <span>
                {paid
                  ? `Cancel this order and refund ${formatMoney(order.totalCents - order.refundedCents, order.currency)}?`
                  : 'Cancel this order? Nothing was paid, so there is nothing to refund.'}
              </span>
              <PendingButton type="button" variant="danger" pending={cancel.pending} pendingLabel="Cancelling…" onClick={doCancel}>
                Yes, cancel order
              </PendingButton>
              <button type="button" className="button button-ghost" onClick={() => setConfirming(false)} disabled={cancel.pending}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
              Cancel order
            </button>
          )}
        </footer>
      )}
    </article>
  );
}

/** Tickets of other people's orders sent to the viewer, by event (in the order tickets.mine lists them: event date, then seat). */
function ReceivedTickets({ tickets }: { tickets: IssuedTicket[] }) {
  const download = useDownload();
  const events = new Map<string, IssuedTicket[]>();
  for (const ticket of tickets) events.set(ticket.eventId, [...(events.get(ticket.eventId) ?? []), ticket]);
  return (
    <section className="received" aria-labelledby="received-title">
      <h2 id="received-title" className="tickets-section-title">
        Tickets sent to you
      </h2>
      {[...events.values()].map((group) => {
        const first = group[0]!;
        return (
          <article key={first.eventId} className="order card" aria-labelledby={`received-${first.eventId}`}>
            <header className="order-head">
              <div>
                <h3 id={`received-${first.eventId}`}>
                  <Link to={`/events/${first.eventId}`}>{first.eventName}</Link>
                </h3>
                <p className="muted small">
                  {formatDateTime(first.startsAt)} · {group.length} {group.length === 1 ? 'ticket' : 'tickets'}
                </p>
              </div>
            </header>
            <ul className="tickets">
              {group.map((ticket) => (
                <TicketCard
                  key={`${ticket.orderId}-${ticket.row}-${ticket.number}`}
                  ticket={ticket}
                  onDownload={held(ticket) ? () => download(ticketsPdfUrl(ticket.orderId, ticket)) : null}
                  wasPaid
                />
              ))}
            </ul>
          </article>
        );
      })}
    </section>
  );
}

export function TicketsPage() {
  const orders = trpc.orders.mine.useQuery();
  const tickets = trpc.tickets.mine.useQuery();
  const [params] = useSearchParams();
  const highlight = params.get('order');

  useEffect(() => {
    if (highlight && orders.data) document.getElementById(`order-${highlight}-card`)?.scrollIntoView({ block: 'start' });
  }, [highlight, orders.data]);

  // Tickets of someone else's order: sent to the viewer (and maybe passed on again since); the viewer's own orders list the rest.
  const own = new Set(orders.data?.map((order) => order.id));
  const received = (tickets.data ?? []).filter((t) => !own.has(t.orderId) && (t.receivedFrom !== null || t.status === 'TRANSFERRED'));

  return (
    <div className="tickets-page">
      <h1>My tickets</h1>
      {orders.isPending || tickets.isPending ? (
        <Loading>Loading your tickets…</Loading>
      ) : orders.isError || tickets.isError ? (
        <LoadError error={orders.error ?? tickets.error} />
      ) : orders.data.length === 0 && received.length === 0 ? (
        <section className="card narrow">
          <p>You have no tickets yet.</p>
          <Link to="/" className="button button-primary">
            Find an event
          </Link>
        </section>
      ) : (
        <>
          <p className="muted">
            Show the QR code at the door, on your phone or printed; each code lets one person in once. A copy of your tickets is in your confirmation
            mail.
          </p>
          {received.length > 0 && <ReceivedTickets tickets={received} />}
          {received.length > 0 && orders.data.length > 0 && <h2 className="tickets-section-title">Your orders</h2>}
          {[...orders.data]
            .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
            .map((order) => (
              <OrderCard key={order.id} order={order} highlighted={order.id === highlight} />
            ))}
        </>
      )}
    </div>
  );
}
