import { PendingButton } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { trpc, type RouterOutputs } from '../../trpc';

type Event = RouterOutputs['events']['byId'];
type Entry = RouterOutputs['waitlist']['list'][number];

const STATUS: Record<Entry['status'], string> = {
  WAITING: 'Waiting',
  OFFERED: 'Seats held',
  BOUGHT: 'Bought',
  LAPSED: 'Offer lapsed',
  LEFT: 'Left',
  REMOVED: 'Removed',
};

/** The event's waiting list for staff: who waits, in line order, and who has seats held; entries can be removed. */
export function WaitlistPanel({ event }: { event: Event }) {
  const list = trpc.waitlist.list.useQuery({ eventId: event.id }, { refetchInterval: 30_000 });
  if (list.isPending) return <Loading>Loading the waiting list…</Loading>;
  if (list.isError) return <LoadError error={list.error} />;
  if (list.data.length === 0) return <p className="muted">Nobody is waiting. Shoppers can join once the event is sold out.</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Waiting list of {event.name}, in line order</caption>
        <thead>
          <tr>
            <th scope="col">Shopper</th>
            <th scope="col" className="num">
              Seats
            </th>
            <th scope="col">Where</th>
            <th scope="col">Joined</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.data.map((entry) => (
            <EntryRow key={entry.id} entry={entry} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function EntryRow({ entry }: { entry: Entry }) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const remove = useAction(
    trpc.waitlist.remove.useMutation({
      onSuccess: () => Promise.all([utils.waitlist.list.invalidate(), utils.inventory.seatMapCompact.invalidate()]),
    }),
    { errors: 'toast' },
  );
  const open = entry.status === 'WAITING' || entry.status === 'OFFERED';
  return (
    <tr>
      <td>
        {entry.userName}
        <span className="small muted block">{entry.email}</span>
      </td>
      <td className="num">{entry.quantity}</td>
      <td>{entry.tierName ?? 'Any'}</td>
      <td>{formatDateTime(entry.createdAt)}</td>
      <td>
        {STATUS[entry.status]}
        {entry.status === 'OFFERED' && entry.offerExpiresAt && (
          <span className="small muted block">until {formatDateTime(entry.offerExpiresAt)}</span>
        )}
      </td>
      <td className="actions">
        {open && (
          <PendingButton
            type="button"
            variant="ghost"
            className="button-small"
            pending={remove.pending}
            pendingLabel="Removing…"
            onClick={() => remove.run({ id: entry.id }, { onSuccess: () => toast.success(`${entry.userName} is off the waiting list.`) })}
          >
            Remove<span className="visually-hidden"> {entry.userName}</span>
          </PendingButton>
        )}
      </td>
    </tr>
  );
}
