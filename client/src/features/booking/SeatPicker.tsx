import { keepPreviousData } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { MAX_HELD_PER_EVENT } from '../../../../shared/seats';
import { PendingButton, SelectField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { errorMessage, lockedSeatsOf, reasonOf, unavailableSeatsOf } from '../../lib/errors';
import { newIdempotencyKey, saveCheckout } from '../../lib/holds';
import { compareSeats, seatKey } from '../../../../shared/seats';
import { seatList, type Seat } from '../../lib/seats';
import { useSession } from '../../lib/session';
import { isStaff } from '../../../../shared/auth';
import { trpc } from '../../trpc';
import { SeatMap, type SeatMapData } from '../seatmap/SeatMap';
import { featuresOf, SEAT_FILTERS, type SeatFilter } from '../seatmap/layout';
import { useReleaseSeats, useReserveSeats } from './api';
import { BestAvailable } from './BestAvailable';
import { HoldBox } from './HoldBox';
import { PresaleCode } from './PresaleCode';
import { QuoteSummary } from './QuoteSummary';
import { useHoldTimer } from './useHoldTimer';
import { usePresale } from './usePresale';
import { useSelection } from './useSelection';

interface SeatPickerProps {
  eventId: string;
  map: SeatMapData;
  onSale: boolean;
  refetch: () => void;
  /** The shopper's admission pass, behind a waiting room: holds carry it. */
  pass?: string | undefined;
  /** A hold was refused for want of a (good) pass, in the server's words: the page queues again. */
  onPassRefused?: ((message: string) => void) | undefined;
}

const seatCount = (n: number) => (n === 1 ? '1 seat' : `${n} seats`);

/** The seat map beside the visitor's basket: choose seats, hold them for a while, then buy them. */
export function SeatPicker({ eventId, map, onSale, refetch, pass, onPassRefused }: SeatPickerProps) {
  const toast = useToast();
  const navigate = useNavigate();
  const { user } = useSession();
  const reserve = useReserveSeats();
  const release = useReleaseSeats();
  const [notice, setNotice] = useState<string | null>(null);
  const [reveal, setReveal] = useState<{ key: string; seats: Seat[] } | null>(null);
  // Venues with accessible or restricted-view places let shoppers narrow the map to them.
  const features = useMemo(() => featuresOf(map), [map]);
  const [filter, setFilter] = useState<SeatFilter>('all');
  // Hidden (presale) tiers stay locked until a code opens them; the code goes with holds and the purchase.
  const presale = usePresale(eventId, map.tiers, isStaff(user));

  const held = useMemo(
    () => map.rows.flatMap((row) => row.seats.filter((s) => s.mine && s.status === 'RESERVED').map((s) => ({ row: row.name, number: s.number }))),
    [map],
  );
  const tierOf = useMemo(
    () => new Map(map.rows.flatMap((row) => row.seats.map((s) => [seatKey({ row: row.name, number: s.number }), s.tierId]))),
    [map],
  );
  // Presale seats are priced and bought with the code that opened them (it is then the order's code).
  const presaleCode = (seats: readonly Seat[]) =>
    presale.code !== null && seats.some((s) => presale.hidden.has(tierOf.get(seatKey(s)) ?? '')) ? { code: presale.code } : {};
  const selection = useSelection(eventId, map, held.length, setNotice, presale.locked);
  const timer = useHoldTimer(
    eventId,
    held,
    useCallback(() => {
      setNotice('Your hold expired, and the seats went back on sale.');
      refetch();
    }, [refetch]),
  );

  const basket = useMemo(() => [...held, ...selection.seats].sort(compareSeats), [held, selection.seats]);
  const quote = trpc.pricing.quote.useQuery(
    { eventId, seats: basket, ...presaleCode(basket) },
    { enabled: basket.length > 0 && basket.length <= MAX_HELD_PER_EVENT, placeholderData: keepPreviousData },
  );

  const signIn = () => void navigate(`/login?next=${encodeURIComponent(`/events/${eventId}`)}`);
  const hold = () => {
    if (!user) return signIn();
    setNotice(null);
    reserve.run(
      { eventId, seats: selection.seats, ...(presale.code ? { code: presale.code } : {}), ...(pass ? { pass } : {}) },
      {
        onSuccess: (result) => {
          timer.add({ expiresAt: result.expiresAt, seats: result.seats });
          selection.clear();
          toast.success(`Held ${seatCount(result.seats.length)} for you.`);
        },
        // Seats someone else took leave the selection, named beside the map; the rest stay chosen.
        // So do seats of a presale the code does not open (any more): their tiers are locked again.
        onError: (error) => {
          if (reasonOf(error) === 'QUEUE_PASS_REQUIRED' && onPassRefused) return onPassRefused(errorMessage(error));
          if (reasonOf(error) === 'SEATS_LOCKED') {
            const locked = lockedSeatsOf(error);
            presale.relock(locked.map((s) => tierOf.get(seatKey(s)) ?? ''));
            selection.remove(locked);
            return setNotice(errorMessage(error));
          }
          const taken = unavailableSeatsOf(error);
          if (!taken.length) return toast.error(errorMessage(error));
          selection.remove(taken);
          setNotice(`These seats were just taken: ${seatList(taken)}. Your other choices are still selected.`);
        },
      },
    );
  };

  const releaseAll = () =>
    release.run(
      { eventId, seats: held },
      {
        onSuccess: () => {
          timer.clear();
          toast.show('Your seats were released.');
        },
      },
    );

  const buy = () => {
    saveCheckout({ eventId, seats: held, idempotencyKey: newIdempotencyKey(), ...presaleCode(held) });
    void navigate('/checkout');
  };

  const busy = reserve.pending || release.pending;
  return (
    <div className="picker">
      <section className="picker-map card flush" aria-labelledby="map-title">
        <h2 id="map-title" className="visually-hidden">
          Choose your seats
        </h2>
        {features.length > 0 && (
          <div className="map-filter">
            <SelectField label="Show" value={filter} onChange={(e) => setFilter(e.target.value as SeatFilter)}>
              {(['all', ...features.map((f) => (f === 'restricted' ? 'unrestricted' : f))] as SeatFilter[]).map((f) => (
                <option key={f} value={f}>
                  {SEAT_FILTERS[f]}
                </option>
              ))}
            </SelectField>
          </div>
        )}
        <SeatMap
          map={map}
          selected={selection.keys}
          onToggle={onSale ? selection.toggle : undefined}
          height={520}
          reveal={reveal}
          filter={filter}
          lockedTiers={presale.locked}
        />
      </section>

      <aside className="picker-side card" aria-labelledby="basket-title">
        <h2 id="basket-title">Your seats</h2>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        {held.length > 0 && (
          <HoldBox held={held} remaining={timer.remaining} onBuy={buy} onRelease={releaseAll} releasing={release.pending} busy={busy} />
        )}

        {selection.seats.length === 0 && held.length === 0 ? (
          <p className="muted">{onSale ? `Pick up to ${MAX_HELD_PER_EVENT} seats on the map.` : 'Tickets for this event are not on sale.'}</p>
        ) : (
          selection.seats.length > 0 && (
            <ul className="seat-list" aria-label="Selected seats">
              {[...selection.seats].sort(compareSeats).map((seat) => (
                <li key={seatKey(seat)}>
                  <span>
                    Row {seat.row} · Seat {seat.number}
                  </span>
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove row ${seat.row} seat ${seat.number}`}
                    onClick={() => selection.toggle(seat)}
                  >
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )
        )}

        {basket.length > 0 && quote.data && <QuoteSummary quote={quote.data} />}
        {quote.isError && <p className="field-error">{errorMessage(quote.error)}</p>}

        {selection.seats.length > 0 && (
          <PendingButton
            type="button"
            pending={reserve.pending}
            pendingLabel="Holding seats…"
            onClick={hold}
            disabled={release.pending}
            className="button-block"
          >
            {user ? `Hold ${seatCount(selection.seats.length)}` : 'Sign in to hold seats'}
          </PendingButton>
        )}
        {onSale && presale.hidden.size > 0 && !isStaff(user) && (
          <PresaleCode eventId={eventId} tiers={map.tiers} unlocked={presale.unlocked} onUnlock={presale.unlock} />
        )}
        {onSale && (
          <BestAvailable
            eventId={eventId}
            // Best available never picks presale seats (the server leaves them out).
            tiers={map.tiers.filter((tier) => !tier.hidden)}
            heldCount={held.length + selection.seats.length}
            signedIn={!!user}
            onSignIn={signIn}
            pass={pass}
            onPassRefused={onPassRefused}
            onHeld={(result) => {
              setNotice(null);
              timer.add({ expiresAt: result.expiresAt, seats: result.seats });
              setReveal({ key: result.holdId, seats: result.seats });
              toast.success(`Held ${seatCount(result.seats.length)} together for you: ${seatList(result.seats)}.`);
            }}
          />
        )}

        <p className="small muted">Seats are held for {map.holdMinutes} minutes while you check out.</p>
      </aside>
    </div>
  );
}
