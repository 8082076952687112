import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import { useCancelOrder, useMarkPaid } from '../../features/orders/api';
import { formatDateTime, formatMoney } from '../../lib/format';
import { seatList } from '../../lib/seats';
import { trpc, type RouterOutputs } from '../../trpc';
import { EventFilter } from '../../features/staff-events/EventFilter';

type Order = RouterOutputs['orders']['list']['items'][number];

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
 * pasted as it came, "tsr 7kq42m" or "TSR-7KQ4-2M", and recorded against its order.
 */
function RecordPayment() {
  const toast = useToast();
  const markPaid = useMarkPaid('form');
  const [reference, setReference] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reference.trim()) return;
    markPaid.run(
      { reference },
      {
        onSuccess: (order) => {
          toast.success(
            `Order ${order.number} is paid: ${formatMoney(order.totalCents, order.currency)}. Its tickets are on their way to the buyer.`,
          );
          setReference('');
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
    </section>
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
  const pending = order.status === 'PENDING';
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
    <tr>
      <td>
        <span className="order-number">{order.number}</span>
      </td>
      <td>{formatDateTime(order.createdAt)}</td>
      <td>{order.eventName}</td>
      <td>{seatList(order.tickets)}</td>
      <td className="num">{formatMoney(order.totalCents, order.currency)}</td>
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
      </td>
    </tr>
  );
}
