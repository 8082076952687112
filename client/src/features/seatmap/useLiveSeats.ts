import { useState } from 'react';
import { applySeatChanges } from '../../../../shared/live-seats';
import { trpc } from '../../trpc';

/**
 * Keeps the cached compact seat map of an event current from `inventory.seatChanges` (server-sent
 * events): each message is applied to the map in the query cache, so every seat taken elsewhere
 * turns unavailable as soon as the server sees it commit. Starts from the version of the map
 * already loaded; the link resumes from the last message after a dropped connection.
 *
 * Behind a waiting room the stream, like the map, needs the shopper's admission pass: `pass` goes
 * with it, and the map it keeps current is the one read with that pass (its own query key).
 *
 * Answers whether the stream is up: while it is not (connecting, an error, no EventSource), the
 * caller keeps polling the map.
 */
export function useLiveSeats(eventId: string, loadedVersion: string | undefined, pass?: string): boolean {
  const utils = trpc.useUtils();
  // The version to start from is the first map loaded; later ones come through the stream itself
  // (changing the input would open a new stream). A new pass reads a new map, and starts again from it.
  const [from, setFrom] = useState<{ eventId: string; pass: string | undefined; version: string } | null>(null);
  const current = from !== null && from.eventId === eventId && from.pass === pass;
  if (loadedVersion && !current) setFrom({ eventId, pass, version: loadedVersion });
  const live = typeof EventSource !== 'undefined' && current;
  const withPass = pass ? { pass } : {};
  const subscription = trpc.inventory.seatChanges.useSubscription(
    live ? { eventId, lastEventId: from.version, ...withPass } : { eventId, ...withPass },
    {
      enabled: live,
      onData: ({ data }) => {
        utils.inventory.seatMapCompact.setData({ eventId, ...withPass }, (map) =>
          map ? (applySeatChanges(map, data) ?? map) : data.kind === 'map' ? data.map : map,
        );
      },
    },
  );
  return live && subscription.status === 'pending';
}
