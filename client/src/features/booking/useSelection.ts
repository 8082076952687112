import { useCallback, useEffect, useMemo, useState } from 'react';
import { MAX_HELD_PER_EVENT } from '../../../../shared/seats';
import { loadSelection, saveSelection } from '../../lib/holds';
import { seatKey } from '../../../../shared/seats';
import { seatList, type Seat } from '../../lib/seats';
import type { SeatMapData } from '../seatmap/SeatMap';

/**
 * The seats chosen but not yet held, kept in this tab across a sign-in. A seat someone else takes
 * meanwhile (the map is polled), or one of a presale the visitor has no code for (`lockedTiers`),
 * leaves the selection, and `onNotice` says which.
 */
export function useSelection(
  eventId: string,
  map: SeatMapData,
  heldCount: number,
  onNotice: (notice: string | null) => void,
  lockedTiers: ReadonlySet<string>,
) {
  const [seats, setSeats] = useState<Seat[]>(() => loadSelection(eventId));
  useEffect(() => saveSelection(eventId, seats), [eventId, seats]);
  const keys = useMemo(() => new Set(seats.map(seatKey)), [seats]);

  const statusOf = useMemo(() => {
    const byKey = new Map<string, { status: string; mine: boolean; tierId: string }>();
    for (const row of map.rows) for (const seat of row.seats) byKey.set(seatKey({ row: row.name, number: seat.number }), seat);
    return byKey;
  }, [map]);
  useEffect(() => {
    // Still free, but of a presale the visitor has no code for (any more).
    const locked = (s: Seat) => {
      const seat = statusOf.get(seatKey(s));
      return seat?.status === 'AVAILABLE' && !seat.mine && lockedTiers.has(seat.tierId);
    };
    const gone = seats.filter((s) => {
      const seat = statusOf.get(seatKey(s));
      return !seat || seat.mine || seat.status !== 'AVAILABLE' || locked(s);
    });
    if (gone.length === 0) return;
    const goneKeys = new Set(gone.map(seatKey));
    // The polled map is the external system here: a seat taken elsewhere leaves the selection
    // once per map answer, and the notice naming it is an event, not derived state.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSeats((old) => old.filter((s) => !goneKeys.has(seatKey(s))));
    const taken = gone.filter((s) => !statusOf.get(seatKey(s))?.mine && !locked(s));
    const presale = gone.filter(locked);
    if (taken.length) onNotice(`Just taken by someone else: ${seatList(taken)}.`);
    else if (presale.length) onNotice(`In a presale, so a code is needed: ${seatList(presale)}.`);
  }, [statusOf, seats, onNotice, lockedTiers]);

  const toggle = useCallback(
    (seat: Seat) => {
      onNotice(null);
      setSeats((old) => {
        const key = seatKey(seat);
        if (old.some((s) => seatKey(s) === key)) return old.filter((s) => seatKey(s) !== key);
        if (old.length + heldCount >= MAX_HELD_PER_EVENT) {
          onNotice(`You can choose up to ${MAX_HELD_PER_EVENT} seats at a time.`);
          return old;
        }
        return [...old, seat];
      });
    },
    [heldCount, onNotice],
  );

  const remove = useCallback((taken: readonly Seat[]) => {
    const takenKeys = new Set(taken.map(seatKey));
    setSeats((old) => old.filter((s) => !takenKeys.has(seatKey(s))));
  }, []);

  return { seats, keys, toggle, remove, clear: useCallback(() => setSeats([]), []) };
}
