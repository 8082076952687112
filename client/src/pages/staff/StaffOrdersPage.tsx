import { useState } from 'react';
import { PendingButton } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { useToast } from '../../components/Toasts';
import { useCancelOrder } from '../../features/orders/api';
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

function OrderRow({ order }: { order: Order }) {
  const toast = useToast();
  const cancel = useCancelOrder();
  const [confirm, setConfirm] = useState(false);
  const doCancel = () =>
    cancel.run({ id: order.id }, { onSuccess: () => toast.success('Order cancelled and refunded; its seats are back on sale.') });
  return (
    <tr>
      <td>{formatDateTime(order.createdAt)}</td>
      <td>{order.eventName}</td>
      <td>{seatList(order.tickets)}</td>
      <td className="num">{formatMoney(order.totalCents, order.currency)}</td>
      <td>
        <span className={`badge ${order.status === 'PAID' ? 'badge-ok' : 'badge-danger'}`}>{order.status === 'PAID' ? 'Paid' : 'Cancelled'}</span>
      </td>
      <td className="actions">
        {order.status === 'PAID' &&
          (confirm ? (
            <PendingButton
              type="button"
              variant="danger"
              className="button-small"
              pending={cancel.pending}
              pendingLabel="Cancelling…"
              onClick={doCancel}
            >
              Confirm refund
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
