import { useCallback, useRef, useState } from 'react';
import { isStaff } from '../../../../shared/auth';
import type { QueueStatus } from '../../../../shared/queue';
import { useSession } from '../../lib/session';
import { useAction } from '../../lib/useAction';
import { trpc } from '../../trpc';
import { saveQueuePass, useQueuePass } from './pass';

/**
 * The refusals that mean "queue first" (server/services/queue/waiting-room.ts, `admit`): signed in
 * without a good pass, or signed out where a room is on.
 */
export const QUEUE_REASONS: ReadonlySet<string> = new Set(['QUEUE_PASS_REQUIRED', 'SIGN_IN_REQUIRED']);

/**
 * The event's waiting room as this viewer meets it: whether they need a pass to see the seats,
 * the pass this tab holds, and their place in line, live from `queue.status` (server-sent events).
 *
 * A pass arrives with the status (`admitted`, `shopping`) and is kept per event (./pass.ts); it is
 * dropped when the status says it ended (`lapsed`, `done`) or a call is refused for want of one.
 * Staff, events without a room and rooms whose doors are open need none.
 */
export function useWaitingRoom(eventId: string) {
  const { user, loading } = useSession();
  const settings = trpc.queue.settings.useQuery({ eventId }, { enabled: !!eventId });
  const room = settings.data ?? null;
  const closed = room !== null && !room.doorsOpen;
  // A room that could not be read counts as none: the server still asks for the pass, and its
  // refusal (`refuse`) reads the room again and brings the queue up.
  const deciding = settings.isPending || (closed && loading);
  const needsPass = closed && !loading && !isStaff(user);
  const stored = useQueuePass(eventId);
  // Per event: the page stays mounted when the visitor goes from one event to another.
  const [place, setPlace] = useState<{ eventId: string; status: QueueStatus | null; refused: string | null } | null>(null);
  const status = place?.eventId === eventId ? place.status : null;
  const refused = place?.eventId === eventId ? place.refused : null;
  // The stream read the caller's place when it opened: a `none` it sends after a join is older than the join's answer.
  const joinedFor = useRef<string | null>(null);
  const { refetch } = settings;

  const follow = useCallback(
    (next: QueueStatus) => {
      const admitted = (next.state === 'admitted' || next.state === 'shopping') && next.pass !== null;
      // A pass clears an earlier refusal; any other news keeps it (the stream may not know of it).
      setPlace((old) => ({ eventId, status: next, refused: admitted || old?.eventId !== eventId ? null : old.refused }));
      if (admitted && next.pass) {
        saveQueuePass(eventId, next.pass);
      } else if (next.state === 'open') {
        // Staff opened the doors (or switched the room off): the room is read again, and the seats show without a pass.
        void refetch();
      } else {
        // Waiting again, lapsed, spent or no place at all: any pass this tab holds is over.
        saveQueuePass(eventId, null);
      }
    },
    [eventId, refetch],
  );

  const stream = trpc.queue.status.useSubscription(
    { eventId },
    {
      enabled: needsPass && user !== null,
      onData: (next) => {
        if (next.state === 'none' && joinedFor.current === eventId) return;
        follow(next);
      },
    },
  );

  const joinAction = useAction(trpc.queue.join.useMutation(), { errors: 'form' });
  const join = () =>
    joinAction.run(
      { eventId },
      {
        onSuccess: (next) => {
          joinedFor.current = eventId;
          setPlace({ eventId, status: next, refused: null });
          follow(next);
        },
      },
    );

  /** The server refused the seat map, a hold or the purchase for want of a (good) pass: queue again. */
  const refuse = useCallback(
    (message: string) => {
      saveQueuePass(eventId, null);
      setPlace((old) => ({ eventId, status: old?.eventId === eventId ? old.status : null, refused: message }));
      void refetch();
    },
    [eventId, refetch],
  );

  return {
    /** The room's settings; null without one (or while they load). */
    room,
    /** Still finding out whether this viewer must queue: show nothing of the seats yet. */
    deciding,
    /** This viewer needs a pass to see the seats, hold and buy. */
    needsPass,
    /** The pass to send, when one is needed and this tab holds it. */
    pass: needsPass ? stored : null,
    /** The caller's place, from the stream or the last join; null until either answered. */
    status,
    /** Why the last call was refused (the server's words), until the next join or pass. */
    refused,
    join,
    joining: joinAction.pending,
    joinError: joinAction.formError,
    /** The stream: 'connecting' (or reconnecting), 'pending' (up), 'error', 'idle' (off). */
    live: stream.status,
    liveError: stream.error,
    refuse,
  };
}

export type WaitingRoom = ReturnType<typeof useWaitingRoom>;
