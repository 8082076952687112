import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Barcode } from '../components/Barcode';
import { PendingButton } from '../components/Form';
import { LoadError, Loading } from '../components/QueryStatus';
import { QrCode } from '../components/QrCode';
import { useToast } from '../components/Toasts';
import { useCancelOrder } from '../features/orders/api';
import { downloadFile, ticketsPdfUrl } from '../lib/download';
import { formatDate, formatDateTime, formatMoney } from '../lib/format';
import { useNow } from '../lib/useNow';
import { trpc, type RouterOutputs } from '../trpc';

type Order = RouterOutputs['orders']['mine'][number];
type IssuedTicket = Order['tickets'][number];

const TICKET_STATUS: Record<IssuedTicket['status'], string> = {
  PENDING: 'Awaiting payment',
  VALID: 'Valid',
  CHECKED_IN: 'Checked in',
  CANCELLED: 'Refunded',
};
const TICKET_BADGE: Record<IssuedTicket['status'], string> = { PENDING: 'warn', VALID: 'ok', CHECKED_IN: 'info', CANCELLED: 'danger' };

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
  const refunded = ticket.status === 'CANCELLED';
  // A ticket of an unpaid order has no code to show yet: it would not open the door.
  const unpaid = ticket.status === 'PENDING';
  const usable = !refunded && !unpaid;
  return (
    <li className={`ticket ticket-${ticket.status.toLowerCase()}`}>
      <div className="ticket-body">
        <div className="ticket-main">
          <p className="eyebrow">{ticket.tierName}</p>
          <p className="ticket-seat">
            Row {ticket.row} · Seat {ticket.number}
          </p>
          <p className="small">{formatMoney(ticket.priceCents, ticket.currency)}</p>
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
        </div>
        {refunded ? (
          <p className="ticket-void">This ticket was {wasPaid ? 'refunded' : 'cancelled'} and no longer opens the door.</p>
        ) : unpaid ? (
          <p className="ticket-void">The QR code comes once the order is paid.</p>
        ) : (
          <div className="ticket-codes">
            <QrCode value={ticket.barcode} label={`QR code for row ${ticket.row} seat ${ticket.number}`} />
            <code className="ticket-code">{ticket.barcode}</code>
          </div>
        )}
      </div>
      {usable && barcode && <Barcode value={ticket.barcode} />}
    </li>
  );
}

function OrderCard({ order, highlighted }: { order: Order; highlighted: boolean }) {
  const cancel = useCancelOrder();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const first = order.tickets[0];
  const now = useNow(60_000);
  const upcoming = first ? Date.parse(first.startsAt) > now : false;

  const download = (seat?: { row: string; number: number }) =>
    void downloadFile(ticketsPdfUrl(order.id, seat)).catch((error: unknown) =>
      toast.error(error instanceof Error ? error.message : 'The download failed. Please try again.'),
    );
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
          <p>
            Please pay <strong>{formatMoney(order.totalCents, order.currency)}</strong> by <strong>{formatDateTime(order.paymentDueAt)}</strong>{' '}
            {PAY_AT[order.paymentMethod] ?? ''}: <strong className="order-number">{order.number}</strong>.
          </p>
          <p className="small">
            Your seats are yours until then. The tickets appear here, and in your mail, as soon as the payment is recorded; if it has not arrived by
            then, the order lapses and the seats go back on sale.
          </p>
        </div>
      )}
      <ul className="tickets">
        {order.tickets.map((ticket) => (
          <TicketCard key={ticket.barcode} ticket={ticket} onDownload={paid ? () => download(ticket) : null} wasPaid={order.paidAt !== null} />
        ))}
      </ul>
      {(paid || pending) && (
        <footer className="order-actions no-print">
          {paid && (
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

export function TicketsPage() {
  const orders = trpc.orders.mine.useQuery();
  const [params] = useSearchParams();
  const highlight = params.get('order');

  useEffect(() => {
    if (highlight && orders.data) document.getElementById(`order-${highlight}-card`)?.scrollIntoView({ block: 'start' });
  }, [highlight, orders.data]);

  return (
    <div className="tickets-page">
      <h1>My tickets</h1>
      {orders.isPending ? (
        <Loading>Loading your tickets…</Loading>
      ) : orders.isError ? (
        <LoadError error={orders.error} />
      ) : orders.data.length === 0 ? (
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
