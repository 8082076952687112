import { useState } from 'react';
import { applySeatChanges } from '../../../../shared/live-seats';
import { trpc } from '../../trpc';

/**
 * Keeps the cached compact seat map of an event current from `inventory.seatChanges` (server-sent
 * events): each message is applied to the map in the query cache, so every seat taken elsewhere
 * turns unavailable as soon as the server sees it commit. Starts from the version of the map
 * already loaded; the link resumes from the last message after a dropped connection.
 *
 * Answers whether the stream is up: while it is not (connecting, an error, no EventSource), the
 * caller keeps polling the map.
 */
export function useLiveSeats(eventId: string, loadedVersion: string | undefined): boolean {
  const utils = trpc.useUtils();
  // The version to start from is the first map loaded; later ones come through the stream itself
  // (changing the input would open a new stream).
  const [from, setFrom] = useState<{ eventId: string; version: string } | null>(null);
  if (loadedVersion && from?.eventId !== eventId) setFrom({ eventId, version: loadedVersion });
  const live = typeof EventSource !== 'undefined' && from !== null && from.eventId === eventId;
  const subscription = trpc.inventory.seatChanges.useSubscription(live ? { eventId, lastEventId: from.version } : { eventId }, {
    enabled: live,
    onData: ({ data }) => {
      utils.inventory.seatMapCompact.setData({ eventId }, (map) =>
        map ? (applySeatChanges(map, data) ?? map) : data.kind === 'map' ? data.map : map,
      );
    },
  });
  return live && subscription.status === 'pending';
}
