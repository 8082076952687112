import { refundShare } from '../../../../shared/orders';
import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import { useCancelOrder, useMarkPaid, useRefundTickets } from '../../features/orders/api';
import { formatDateTime, formatMoney } from '../../lib/format';
import { seatLabel } from '../../../../shared/seats';
import { seatList } from '../../lib/seats';
import { trpc, type RouterOutputs } from '../../trpc';
import { EventFilter } from '../../features/staff-events/EventFilter';
import { CameraScanner } from '../../features/checkin/CameraScanner';

type Order = RouterOutputs['orders']['list']['items'][number];
type Ticket = Order['tickets'][number];

/** Whom a ticket was passed on to, when someone claimed it: they hold it now, not the buyer. */
const passedOnTo = (ticket: Ticket): string | null => (ticket.transfer?.state === 'CLAIMED' ? ticket.transfer.email : null);

/** "A1, A3 (passed on to robin@example.test)": the seats, and who holds any that changed hands. */
function SeatsHeld({ tickets }: { tickets: readonly Ticket[] }) {
  return tickets.map((ticket, i) => {
    const to = passedOnTo(ticket);
    return (
      <span key={`${ticket.row}-${ticket.number}`}>
        {i > 0 && ', '}
        {seatLabel(ticket)}
        {to && <span className="small muted passed-on"> (passed on to {to})</span>}
      </span>
    );
  });
}

export function StaffOrdersPage() {
  const [eventId, setEventId] = useState('');
  const orders = trpc.orders.list.useInfiniteQuery(
    { eventId: eventId || undefined, limit: 25 },
    { getNextPageParam: (p) => p.nextCursor ?? undefined },
  );
  const items = orders.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="staff-page">
      <SubNav label="Staff" links={STAFF_LINKS} />
      <h1>Orders</h1>
      <RecordPayment />
      <div className="filters">
        <EventFilter value={eventId} onChange={setEventId} />
      </div>
      {orders.isPending ? (
        <Loading>Loading orders…</Loading>
      ) : orders.isError ? (
        <LoadError error={orders.error} />
      ) : items.length === 0 ? (
        <p className="muted">No orders yet.</p>
      ) : (
        <div className="table-wrap card flush">
          <table className="table">
            <caption className="visually-hidden">Orders, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Order</th>
                <th scope="col">Placed</th>
                <th scope="col">Event</th>
                <th scope="col">Seats</th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((order) => (
                <OrderRow key={order.id} order={order} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={orders} />
    </div>
  );
}

/**
 * A payment that arrived (a bank transfer with its reference, cash at the box office): typed or
 * pasted as it came, "tsr 7kq42m" or "TSR-7KQ4-2M", and recorded against its order. At the box
 * office the order's QR code (on the buyer's screen or mail) can be scanned instead: the order is
 * looked up first, so the clerk sees what to take before recording it.
 */
function RecordPayment() {
  const toast = useToast();
  const markPaid = useMarkPaid('form');
  const [reference, setReference] = useState('');
  const [scanned, setScanned] = useState<string | null>(null);
  const paidToast = (order: { number: string; totalCents: number; currency: string }) =>
    toast.success(`Order ${order.number} is paid: ${formatMoney(order.totalCents, order.currency)}. Its tickets are on their way to the buyer.`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reference.trim()) return;
    markPaid.run(
      { reference },
      {
        onSuccess: (order) => {
          paidToast(order);
          setReference('');
          setScanned(null);
        },
      },
    );
  };
  return (
    <section className="card record-payment" aria-labelledby="record-payment-title">
      <h2 id="record-payment-title">Record a payment</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <TextField
          label="Payment reference"
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          placeholder="TSR-7KQ4-2M"
          autoComplete="off"
          spellCheck={false}
          hint="The order number on the transfer or the buyer’s mail. The order turns paid and its tickets are mailed."
          errors={markPaid.fieldErrors.reference}
        />
        <PendingButton type="submit" pending={markPaid.pending} pendingLabel="Recording…" disabled={!reference.trim()}>
          Mark paid
        </PendingButton>
      </form>
      <FormError>{markPaid.formError}</FormError>
      <div className="scan-reference">
        <CameraScanner
          onCode={(code) => {
            setReference(code);
            setScanned(code);
          }}
        />
      </div>
      {scanned && (
        <ScannedOrder
          reference={scanned}
          onPaid={(order) => {
            paidToast(order);
            setReference('');
            setScanned(null);
          }}
        />
      )}
    </section>
  );
}

/** The order a scanned code names, with what to take and a button to record it as paid. */
function ScannedOrder({ reference, onPaid }: { reference: string; onPaid: (order: Order) => void }) {
  const found = trpc.orders.list.useQuery({ number: reference, limit: 1 }, { retry: false });
  const markPaid = useMarkPaid('toast');
  const order = found.data?.items[0];
  return (
    <div className="scanned-order" role="status" aria-live="polite">
      {found.isPending ? (
        <p className="muted">Looking up {reference}…</p>
      ) : found.isError ? (
        <p className="form-error">This code is not an order number (a ticket’s code is scanned on the Check-in page).</p>
      ) : !order ? (
        <p className="form-error">No order has the number {reference}.</p>
      ) : (
        <>
          <p>
            Order <strong className="order-number">{order.number}</strong> · {order.eventName} · {seatList(order.tickets)}
          </p>
          {order.status === 'PENDING' ? (
            <div className="button-row">
              <strong>To take: {formatMoney(order.totalCents, order.currency)}</strong>
              <PendingButton
                type="button"
                pending={markPaid.pending}
                pendingLabel="Recording…"
                onClick={() => markPaid.run({ id: order.id }, { onSuccess: onPaid })}
              >
                Mark paid
              </PendingButton>
            </div>
          ) : (
            <p className="muted">
              {STATUS[order.status].label}
              {order.status === 'PAID' && order.paidAt ? ` on ${formatDateTime(order.paidAt)}` : ''}: nothing to take.
            </p>
          )}
        </>
      )}
    </div>
  );
}

const STATUS: Record<Order['status'], { label: string; badge: string }> = {
  PAID: { label: 'Paid', badge: 'ok' },
  PENDING: { label: 'Awaiting payment', badge: 'warn' },
  EXPIRED: { label: 'Lapsed unpaid', badge: 'neutral' },
  CANCELLED: { label: 'Cancelled', badge: 'danger' },
};

function OrderRow({ order }: { order: Order }) {
  const toast = useToast();
  const cancel = useCancelOrder();
  const markPaid = useMarkPaid('toast');
  const [confirm, setConfirm] = useState(false);
  const [refunding, setRefunding] = useState(false);
  const pending = order.status === 'PENDING';
  const paid = order.status === 'PAID';
  const valid = order.tickets.filter((x) => x.status === 'VALID');
  // A paid order lists the seats it still holds; a cancelled one the seats it had.
  const shown = paid ? order.tickets.filter((x) => x.status !== 'CANCELLED') : order.tickets;
  const doCancel = () =>
    cancel.run(
      { id: order.id },
      {
        onSuccess: () =>
          toast.success(
            pending ? 'Order cancelled; nothing was paid. Its seats are back on sale.' : 'Order cancelled and refunded; its seats are back on sale.',
          ),
      },
    );
  const doMarkPaid = () =>
    markPaid.run({ id: order.id }, { onSuccess: () => toast.success(`Order ${order.number} is paid; its tickets are on their way to the buyer.`) });
  return (
    <>
      <tr>
        <td>
          <span className="order-number">{order.number}</span>
        </td>
        <td>{formatDateTime(order.createdAt)}</td>
        <td>{order.eventName}</td>
        <td>
          <SeatsHeld tickets={shown} />
        </td>
        <td className="num">
          {formatMoney(order.totalCents, order.currency)}
          {paid && order.refundedCents > 0 && <span className="small muted block">{formatMoney(order.refundedCents, order.currency)} refunded</span>}
        </td>
        <td>
          <span className={`badge badge-${STATUS[order.status].badge}`}>{STATUS[order.status].label}</span>
          {pending && order.paymentDueAt && <span className="small muted block">due {formatDateTime(order.paymentDueAt)}</span>}
        </td>
        <td className="actions">
          {pending && (
            <PendingButton type="button" className="button-small" pending={markPaid.pending} pendingLabel="Recording…" onClick={doMarkPaid}>
              Mark paid<span className="visually-hidden"> {order.number}</span>
            </PendingButton>
          )}
          {(order.status === 'PAID' || pending) &&
            (confirm ? (
              <PendingButton
                type="button"
                variant="danger"
                className="button-small"
                pending={cancel.pending}
                pendingLabel="Cancelling…"
                onClick={doCancel}
              >
                {pending ? 'Confirm cancel' : 'Confirm refund'}
              </PendingButton>
            ) : (
              <button type="button" className="button button-ghost button-small" onClick={() => setConfirm(true)}>
                Cancel
              </button>
            ))}
          {paid && valid.length > 1 && (
            <button type="button" className="button button-ghost button-small" aria-expanded={refunding} onClick={() => setRefunding((r) => !r)}>
              Refund tickets<span className="visually-hidden"> of {order.number}</span>
            </button>
          )}
        </td>
      </tr>
      {refunding && (
        <tr className="refund-row">
          <td colSpan={7}>
            <RefundTickets order={order} tickets={valid} onDone={() => setRefunding(false)} />
          </td>
        </tr>
      )}
    </>
  );
}

/**
 * Refunding some tickets of a paid order: tick the seats, see what goes back (each ticket's share
 * of what the order cost, as the server works it out), confirm.
 */
function RefundTickets({ order, tickets, onDone }: { order: Order; tickets: Order['tickets']; onDone: () => void }) {
  const toast = useToast();
  const refund = useRefundTickets();
  const [chosen, setChosen] = useState<string[]>([]);
  const picked = tickets.filter((x) => chosen.includes(x.barcode));
  const listed = picked.reduce((sum, x) => sum + x.priceCents, 0);
  const amount = refundShare(order, listed);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    refund.run(
      { id: order.id, barcodes: chosen },
      {
        onSuccess: () => {
          toast.success(
            `Refunded ${picked.length === 1 ? '1 ticket' : `${picked.length} tickets`} of ${order.number}: ${formatMoney(amount, order.currency)}.`,
          );
          onDone();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} className="refund-tickets" aria-label={`Refund tickets of ${order.number}`}>
      <fieldset>
        <legend>Tickets of {order.number} to refund</legend>
        {tickets.map((x) => (
          <div key={x.barcode} className="checkbox-field">
            <input
              id={`refund-${x.barcode}`}
              type="checkbox"
              checked={chosen.includes(x.barcode)}
              onChange={(e) => setChosen((now) => (e.target.checked ? [...now, x.barcode] : now.filter((b) => b !== x.barcode)))}
            />
            <label htmlFor={`refund-${x.barcode}`}>
              Row {x.row} seat {x.number} · {x.tierName} · {formatMoney(x.priceCents, x.currency)}
              {passedOnTo(x) && <span className="muted"> · passed on to {passedOnTo(x)}, who holds it now</span>}
            </label>
          </div>
        ))}
      </fieldset>
      <p className="small muted">
        Each ticket pays back its share of what the order cost (the group discount kept in proportion). Refunding every ticket cancels the order.
      </p>
      <div className="button-row">
        <PendingButton
          type="submit"
          variant="danger"
          className="button-small"
          pending={refund.pending}
          pendingLabel="Refunding…"
          disabled={picked.length === 0}
        >
          {picked.length === 0
            ? 'Refund'
            : `Refund ${picked.length === 1 ? '1 ticket' : `${picked.length} tickets`} · ${formatMoney(amount, order.currency)}`}
        </PendingButton>
        <button type="button" className="button button-ghost button-small" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
