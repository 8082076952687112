import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { PendingButton } from '../components/Form';
import { SeatMap } from '../features/seatmap/SeatMap';
import { useToast } from '../components/Toasts';
import { seatKey, type Seat, type SeatMapData } from '../lib/api-types';
import { expandSeatMap } from '../../../shared/seat-map';
import { errorCode, errorMessage, unavailableSeatsOf } from '../lib/errors';
import { formatCountdown, formatDateTime, formatMoney } from '../lib/format';
import { loadHolds, loadSelection, newIdempotencyKey, saveCheckout, saveHolds, saveSelection, type StoredHold } from '../lib/holds';
import { useSession } from '../lib/session';
import { useLock } from '../lib/useLock';
import { useNow } from '../lib/useNow';
import { trpc } from '../trpc';

/** Seats one visitor may hold at once for one event (API: tickets.reserve takes 1-10). */
export const MAX_SEATS = 10;

const seatList = (seats: Seat[]) => seats.map((s) => `${s.row}${s.number}`).join(', ');

function bySeat(a: Seat, b: Seat) {
  return a.row === b.row ? a.number - b.number : a.row.length - b.row.length || a.row.localeCompare(b.row);
}

interface EventPageProps {
  /** How often the seat map is re-read so seats taken by others show; tests shorten it. */
  pollMs?: number;
}

export function EventPage({ pollMs = 5000 }: EventPageProps) {
  const { id = '' } = useParams();
  const event = trpc.events.byId.useQuery({ id }, { enabled: !!id });
  // The compact map, revalidated by the browser's HTTP cache: an unchanged map costs a 304.
  const seatMap = trpc.inventory.seatMapCompact.useQuery(
    { eventId: id },
    { enabled: !!id, refetchInterval: pollMs, refetchOnWindowFocus: true, refetchIntervalInBackground: false, select: expandSeatMap },
  );

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
          <p className="eyebrow">{formatDateTime(e.startsAt)}</p>
          <h1>{e.name}</h1>
          <p className="event-venue">{e.venue}</p>
          {cancelled && <p className="badge badge-danger">Cancelled — no tickets are on sale</p>}
          {e.status === 'DRAFT' && <p className="badge badge-warn">Draft — not yet on sale</p>}
          {e.description && <p className="event-description">{e.description}</p>}
        </div>
      </header>

      {seatMap.isPending ? (
        <p role="status" className="muted">
          Loading the seat map…
        </p>
      ) : seatMap.isError ? (
        <div role="alert" className="form-error">
          The seat map could not be loaded: {errorMessage(seatMap.error)}{' '}
          <button type="button" className="link-button" onClick={() => seatMap.refetch()}>
            Try again
          </button>
        </div>
      ) : seatMap.data.rows.length === 0 ? (
        <section className="card">
          <h2>No seats yet</h2>
          <p className="muted">Seats for this event have not been released. Check back soon.</p>
        </section>
      ) : (
        <SeatPicker eventId={id} map={seatMap.data as SeatMapData} onSale={e.status === 'ON_SALE'} refetch={() => void seatMap.refetch()} />
      )}
    </div>
  );
}

interface SeatPickerProps {
  eventId: string;
  map: SeatMapData;
  onSale: boolean;
  refetch: () => void;
}

function SeatPicker({ eventId, map, onSale, refetch }: SeatPickerProps) {
  const toast = useToast();
  const navigate = useNavigate();
  const { user } = useSession();
  const utils = trpc.useUtils();
  const reserve = trpc.tickets.reserve.useMutation();
  const release = trpc.tickets.release.useMutation();
  const lock = useLock();
  const [selection, setSelection] = useState<Seat[]>(() => loadSelection(eventId));
  const [holds, setHolds] = useState<StoredHold[]>(() => loadHolds(eventId));
  const [notice, setNotice] = useState<string | null>(null);

  const held = useMemo(() => {
    const mine: Seat[] = [];
    for (const row of map.rows) for (const seat of row.seats) if (seat.mine && seat.status === 'RESERVED') mine.push({ row: row.name, number: seat.number });
    return mine;
  }, [map]);
  const heldKeys = useMemo(() => new Set(held.map(seatKey)), [held]);
  const selectedKeys = useMemo(() => new Set(selection.map(seatKey)), [selection]);

  useEffect(() => saveSelection(eventId, selection), [eventId, selection]);
  useEffect(() => saveHolds(eventId, holds), [eventId, holds]);

  // Seats someone else took since they were chosen leave the selection, with a word why.
  const statusOf = useMemo(() => {
    const m = new Map<string, { status: string; mine: boolean }>();
    for (const row of map.rows) for (const seat of row.seats) m.set(`${row.name}:${seat.number}`, seat);
    return m;
  }, [map]);
  useEffect(() => {
    const gone = selection.filter((s) => {
      const seat = statusOf.get(seatKey(s));
      return !seat || seat.mine || seat.status !== 'AVAILABLE';
    });
    if (gone.length === 0) return;
    setSelection((old) => old.filter((s) => !gone.some((g) => seatKey(g) === seatKey(s))));
    const taken = gone.filter((s) => !statusOf.get(seatKey(s))?.mine);
    if (taken.length) setNotice(`Just taken by someone else: ${seatList(taken)}.`);
  }, [statusOf, selection]);

  // The countdown follows the earliest stored hold that still covers a seat the map says is ours.
  const liveHolds = holds.filter((h) => h.seats.some((s) => heldKeys.has(seatKey(s))));
  const expiresAt = liveHolds.length ? Math.min(...liveHolds.map((h) => Date.parse(h.expiresAt))) : null;
  const now = useNow(1000, expiresAt !== null);
  const remaining = expiresAt === null ? null : expiresAt - now;
  const expired = remaining !== null && remaining <= 0;
  const expiredOnce = useRef(false);
  useEffect(() => {
    if (!expired || expiredOnce.current) return;
    expiredOnce.current = true;
    setHolds([]);
    setNotice('Your hold expired, and the seats went back on sale.');
    refetch();
  }, [expired, refetch]);
  useEffect(() => {
    if (!expired) expiredOnce.current = false;
  }, [expired]);

  const basket = useMemo(() => [...held, ...selection].sort(bySeat), [held, selection]);
  const quote = trpc.pricing.quote.useQuery(
    { eventId, seats: basket },
    { enabled: basket.length > 0 && basket.length <= MAX_SEATS, placeholderData: keepPreviousData },
  );

  const toggle = useCallback(
    (seat: Seat) => {
      setNotice(null);
      setSelection((old) => {
        const key = seatKey(seat);
        if (old.some((s) => seatKey(s) === key)) return old.filter((s) => seatKey(s) !== key);
        if (old.length + held.length >= MAX_SEATS) {
          setNotice(`You can choose up to ${MAX_SEATS} seats at a time.`);
          return old;
        }
        return [...old, seat];
      });
    },
    [held.length],
  );

  const hold = () =>
    lock.run(async () => {
      if (!user) {
        navigate(`/login?next=${encodeURIComponent(`/events/${eventId}`)}`);
        return;
      }
      setNotice(null);
      try {
        const result = await reserve.mutateAsync({ eventId, seats: selection });
        setHolds((old) => [...old.filter((h) => Date.parse(h.expiresAt) > Date.now()), { expiresAt: result.expiresAt, seats: result.seats }]);
        setSelection([]);
        toast.success(`Held ${result.seats.length === 1 ? '1 seat' : `${result.seats.length} seats`} for you.`);
      } catch (error) {
        const taken = unavailableSeatsOf(error);
        if (taken.length) {
          setSelection((old) => old.filter((s) => !taken.some((t) => seatKey(t) === seatKey(s))));
          setNotice(`These seats were just taken: ${seatList(taken)}. Your other choices are still selected.`);
        } else {
          toast.error(errorMessage(error));
        }
      }
      await utils.inventory.seatMapCompact.invalidate({ eventId });
    });

  const releaseAll = () =>
    lock.run(async () => {
      try {
        await release.mutateAsync({ eventId, seats: held });
        setHolds([]);
        toast.show('Your seats were released.');
      } catch (error) {
        toast.error(errorMessage(error));
      }
      await utils.inventory.seatMapCompact.invalidate({ eventId });
    });

  const buy = () => {
    saveCheckout({ eventId, seats: held, idempotencyKey: newIdempotencyKey() });
    navigate('/checkout');
  };

  const currency = quote.data?.currency ?? map.tiers[0]?.currency ?? 'USD';

  return (
    <div className="picker">
      <section className="picker-map card flush" aria-labelledby="map-title">
        <h2 id="map-title" className="visually-hidden">
          Choose your seats
        </h2>
        <SeatMap map={map} selected={selectedKeys} onToggle={onSale ? toggle : undefined} height={520} />
      </section>

      <aside className="picker-side card" aria-labelledby="basket-title">
        <h2 id="basket-title">Your seats</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}

        {held.length > 0 && (
          <div className="hold-box" aria-live="polite">
            <div className="hold-head">
              <strong>
                {held.length === 1 ? '1 seat' : `${held.length} seats`} held for you
              </strong>
              {remaining !== null && !expired && (
                <span className={`countdown ${remaining < 60_000 ? 'countdown-urgent' : ''}`} role="timer" aria-label={`Hold expires in ${formatCountdown(remaining)}`}>
                  {formatCountdown(remaining)}
                </span>
              )}
            </div>
            <p className="small muted">{seatList(held)} · Complete your purchase before the timer runs out.</p>
            <div className="button-row">
              <button type="button" className="button button-primary" onClick={buy} disabled={lock.locked}>
                Buy {held.length === 1 ? 'this seat' : `these ${held.length} seats`}
              </button>
              <PendingButton type="button" variant="secondary" pending={release.isPending} pendingLabel="Releasing…" onClick={releaseAll} disabled={lock.locked}>
                Release
              </PendingButton>
            </div>
          </div>
        )}

        {selection.length === 0 && held.length === 0 ? (
          <p className="muted">{onSale ? `Pick up to ${MAX_SEATS} seats on the map.` : 'Tickets for this event are not on sale.'}</p>
        ) : (
          selection.length > 0 && (
            <ul className="seat-list" aria-label="Selected seats">
              {[...selection].sort(bySeat).map((seat) => (
                <li key={seatKey(seat)}>
                  <span>
                    Row {seat.row} · Seat {seat.number}
                  </span>
                  <button type="button" className="link-button" aria-label={`Remove row ${seat.row} seat ${seat.number}`} onClick={() => toggle(seat)}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )
        )}

        {basket.length > 0 && quote.data && (
          <dl className="quote" aria-label="Price">
            {quote.data.lines.map((line) => (
              <div key={seatKey(line)} className="quote-line">
                <dt>
                  {line.row}
                  {line.number} · {line.tierName}
                </dt>
                <dd>{formatMoney(line.priceCents, currency)}</dd>
              </div>
            ))}
            {quote.data.discountCents > 0 && (
              <div className="quote-line quote-discount">
                <dt>Group discount{'percentOff' in quote.data && quote.data.percentOff ? ` (${quote.data.percentOff}% off)` : ''}</dt>
                <dd>−{formatMoney(quote.data.discountCents, currency)}</dd>
              </div>
            )}
            <div className="quote-total">
              <dt>Total</dt>
              <dd>{formatMoney(quote.data.totalCents, currency)}</dd>
            </div>
          </dl>
        )}
        {quote.isError && <p className="field-error">{errorMessage(quote.error)}</p>}

        {selection.length > 0 && (
          <PendingButton type="button" pending={reserve.isPending} pendingLabel="Holding seats…" onClick={hold} disabled={lock.locked} className="button-block">
            {user ? `Hold ${selection.length === 1 ? '1 seat' : `${selection.length} seats`}` : 'Sign in to hold seats'}
          </PendingButton>
        )}
        <p className="small muted">Seats are held for {map.holdMinutes} minutes while you check out.</p>
      </aside>
    </div>
  );
}
