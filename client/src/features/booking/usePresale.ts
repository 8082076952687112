import { useCallback, useEffect, useMemo, useState } from 'react';
import { loadPresale, savePresale, type StoredPresale } from '../../lib/holds';
import type { Tier } from '../seatmap/layout';

/**
 * The presale of an event as this visitor sees it: the code they unlocked hidden tiers with (kept
 * in this tab, and sent with their holds and their purchase), and the hidden tiers still locked
 * for them. Staff sell presale seats without a code (the server lets them), so nothing is locked
 * for them.
 */
export function usePresale(eventId: string, tiers: readonly Tier[], staff: boolean) {
  const [unlocked, setUnlocked] = useState<StoredPresale | null>(() => loadPresale(eventId));
  useEffect(() => savePresale(eventId, unlocked), [eventId, unlocked]);

  // One set per distinct answer, so the map is laid out again only when what is locked changes.
  const lockedKey = staff
    ? ''
    : tiers
        .filter((t) => t.hidden && !unlocked?.tierIds.includes(t.id))
        .map((t) => t.id)
        .join(' ');
  const locked = useMemo<ReadonlySet<string>>(() => new Set(lockedKey ? lockedKey.split(' ') : []), [lockedKey]);
  const hidden = useMemo(() => new Set(tiers.filter((t) => t.hidden).map((t) => t.id)), [tiers]);

  return {
    /** The code to send with holds and the purchase; null without one. */
    code: unlocked?.code ?? null,
    unlocked,
    /** Hidden tiers whose free seats this visitor cannot choose. */
    locked,
    /** The event's hidden tiers, unlocked or not. */
    hidden,
    unlock: setUnlocked,
    /** The server refused seats of these tiers with the code: it does not (or no longer) open them here. */
    relock: useCallback((tierIds: readonly string[]) => {
      setUnlocked((old) => {
        const left = old?.tierIds.filter((id) => !tierIds.includes(id)) ?? [];
        return old && left.length > 0 ? { ...old, tierIds: left } : null;
      });
    }, []),
  };
}

export type Presale = ReturnType<typeof usePresale>;
