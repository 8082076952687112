import { useEffect, useMemo, useRef, useState } from 'react';
import { loadHolds, saveHolds, type StoredHold } from '../../lib/holds';
import { seatKey } from '../../../../shared/seats';
import { type Seat } from '../../lib/seats';
import { useNow } from '../../lib/useNow';

/**
 * When the visitor's holds run out. The seat map says which seats are held by the visitor, but not
 * until when: each hold's expiry is remembered in this tab (lib/holds.ts) as it is made. The
 * countdown follows the earliest remembered hold that still covers a seat the map says is held.
 */
export function useHoldTimer(eventId: string, held: readonly Seat[], onExpire: () => void) {
  const [holds, setHolds] = useState<StoredHold[]>(() => loadHolds(eventId));
  useEffect(() => saveHolds(eventId, holds), [eventId, holds]);

  const heldKeys = useMemo(() => new Set(held.map(seatKey)), [held]);
  const live = holds.filter((h) => h.seats.some((s) => heldKeys.has(seatKey(s))));
  const expiresAt = live.length ? Math.min(...live.map((h) => Date.parse(h.expiresAt))) : null;
  const now = useNow(1000, expiresAt !== null);
  const expired = expiresAt !== null && expiresAt <= now;

  const expiredOnce = useRef(false);
  useEffect(() => {
    if (!expired) {
      expiredOnce.current = false;
      return;
    }
    if (expiredOnce.current) return;
    expiredOnce.current = true;
    setHolds([]);
    onExpire();
  }, [expired, onExpire]);

  return {
    /** Milliseconds until the earliest hold expires; null when nothing held is counting down. */
    remaining: expiresAt === null || expired ? null : expiresAt - now,
    add: (hold: StoredHold) => setHolds((old) => [...old.filter((h) => Date.parse(h.expiresAt) > Date.now()), hold]),
    clear: () => setHolds([]),
  };
}
