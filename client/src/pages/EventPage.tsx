import { useCallback, useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { expandSeatMap } from '../../../shared/seat-map';
import { SeatPicker } from '../features/booking/SeatPicker';
import { PassNotice, QueuePanel } from '../features/queue/QueuePanel';
import { QUEUE_REASONS, useWaitingRoom } from '../features/queue/useWaitingRoom';
import { WaitlistBox } from '../features/waitlist/WaitlistBox';
import { useLiveSeats } from '../features/seatmap/useLiveSeats';
import { errorCode, errorMessage, reasonOf } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { usePageMeta } from '../lib/page-meta';
import { trpc } from '../trpc';

interface EventPageProps {
  /** How often the seat map is re-read while live updates are down, so seats taken by others show; tests change it. */
  pollMs?: number;
}

export function EventPage({ pollMs = 5000 }: EventPageProps) {
  const { id = '' } = useParams();
  const event = trpc.events.byId.useQuery({ id }, { enabled: !!id });
  const utils = trpc.useUtils();
  // Behind a waiting room (shared/queue.ts) the seats are shown only with an admission pass: until
  // the room is known, nothing is asked; without a pass, the queue shows instead of the map.
  const queue = useWaitingRoom(id);
  const mustQueue = queue.needsPass && !queue.pass;
  const pass = queue.pass?.token;
  const mapInput = { eventId: id, ...(pass ? { pass } : {}) };
  // Seats taken elsewhere arrive live (server-sent events); only while that stream is down is the
  // compact map polled, revalidated by the browser's HTTP cache (an unchanged map costs a 304).
  const live = useLiveSeats(id, utils.inventory.seatMapCompact.getData(mapInput)?.version, pass);
  const seatMap = trpc.inventory.seatMapCompact.useQuery(mapInput, {
    enabled: !!id && !queue.deciding && !mustQueue,
    refetchInterval: live ? false : pollMs,
    refetchOnWindowFocus: !live,
    refetchIntervalInBackground: false,
    select: expandSeatMap,
  });
  // The map refused for want of a (good) pass (it lapsed, or a room was switched on meanwhile): queue again.
  const mapRefused = seatMap.isError && QUEUE_REASONS.has(reasonOf(seatMap.error) ?? '') ? errorMessage(seatMap.error) : null;
  const { refuse } = queue;
  useEffect(() => {
    if (mapRefused) refuse(mapRefused);
  }, [mapRefused, refuse]);
  const onPassRefused = queue.needsPass ? refuse : undefined;

  const loaded = event.data;
  usePageMeta(
    loaded ? loaded.name : event.isError ? 'Event not found' : null,
    loaded
      ? `${loaded.name} at ${loaded.venue}, ${formatDateTime(loaded.startsAt, loaded.timeZone)}. ${
          loaded.status === 'ON_SALE' ? 'Pick your seats on the live seat map and get tickets with QR codes.' : 'Tickets are not on sale.'
        }`
      : undefined,
  );
  const { refetch } = seatMap;
  const refetchMap = useCallback(() => void refetch(), [refetch]);

  if (event.isPending) {
    return (
      <p role="status" className="muted page-loading">
        Loading the event…
      </p>
    );
  }
  if (event.isError) {
    return (
      <section className="card narrow">
        <h1>{errorCode(event.error) === 'NOT_FOUND' || errorCode(event.error) === 'BAD_REQUEST' ? 'Event not found' : 'Something went wrong'}</h1>
        <p className="muted">{errorMessage(event.error)}</p>
        <Link to="/" className="button button-primary">
          See all events
        </Link>
      </section>
    );
  }
  const e = event.data;
  const cancelled = e.status === 'CANCELLED';

  return (
    <div className="event-page">
      <header className="event-hero">
        {e.imageUrl && <img className="event-hero-image" src={e.imageUrl} alt="" />}
        <div>
          <p className="eyebrow">{formatDateTime(e.startsAt, e.timeZone)}</p>
          <h1>{e.name}</h1>
          <p className="event-venue">{e.venue}</p>
          {cancelled && <p className="badge badge-danger">Cancelled — no tickets are on sale</p>}
          {e.status === 'DRAFT' && <p className="badge badge-warn">Draft — not yet on sale</p>}
          {e.description && <p className="event-description">{e.description}</p>}
        </div>
      </header>

      {mustQueue ? (
        <QueuePanel event={e} queue={queue} />
      ) : seatMap.isPending ? (
        <p role="status" className="muted">
          Loading the seat map…
        </p>
      ) : seatMap.isError ? (
        <div role="alert" className="form-error">
          The seat map could not be loaded: {errorMessage(seatMap.error)}{' '}
          <button type="button" className="link-button" onClick={() => void seatMap.refetch()}>
            Try again
          </button>
        </div>
      ) : seatMap.data.rows.length === 0 ? (
        <section className="card">
          <h2>No seats yet</h2>
          <p className="muted">Seats for this event have not been released. Check back soon.</p>
        </section>
      ) : (
        <>
          {queue.pass && <PassNotice pass={queue.pass} />}
          {queue.room && !queue.room.doorsOpen && !queue.needsPass && (
            <p className="notice notice-info">This on-sale has a waiting room: shoppers queue for a pass. As staff, you skip it.</p>
          )}
          <SeatPicker
            eventId={id}
            map={seatMap.data}
            onSale={e.status === 'ON_SALE'}
            refetch={refetchMap}
            pass={pass}
            onPassRefused={onPassRefused}
          />
          {e.status === 'ON_SALE' && (
            // Presale seats do not count: the line is for seats on general sale (the server counts the same way).
            <WaitlistBox
              event={e}
              soldOut={
                !seatMap.data.rows.some((row) =>
                  row.seats.some((seat) => seat.status === 'AVAILABLE' && !seatMap.data.tiers.find((t) => t.id === seat.tierId)?.hidden),
                )
              }
            />
          )}
        </>
      )}
    </div>
  );
}
