import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { PASS_MINUTES, PASS_USE_MINUTES, type QueueStatus } from '../../../../shared/queue';
import { FormError, PendingButton } from '../../components/Form';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../../lib/session';
import type { RouterOutputs } from '../../trpc';
import { formatClock, formatWait } from './format';
import type { QueuePass } from './pass';
import type { WaitingRoom } from './useWaitingRoom';

type Event = RouterOutputs['events']['byId'];

const TURN = `When your turn comes, the seat map opens here by itself: you then have ${PASS_USE_MINUTES} minutes to hold seats and ${PASS_MINUTES} minutes to buy them.`;

/**
 * What a shopper sees instead of the seat map while an on-sale's waiting room is on and they hold
 * no pass: signed out, the way in; signed in, their place in line, live. The sentence about their
 * place is a polite live region, so a screen reader hears the line move without leaving the page.
 */
export function QueuePanel({ event, queue }: { event: Event; queue: WaitingRoom }) {
  const { user } = useSession();
  return (
    <section className="card narrow queue-panel" aria-labelledby="queue-title">
      <h2 id="queue-title">Waiting room</h2>
      <p className="muted">Tickets for {event.name} are let out a few shoppers at a time, in turn, so the sale stays fair and quick for everyone.</p>
      {user ? (
        <Place event={event} queue={queue} />
      ) : (
        <>
          <p>Sign in to take your place in the queue. {TURN}</p>
          <Link to={`/login?next=${encodeURIComponent(`/events/${event.id}`)}`} className="button button-primary">
            Sign in to join the queue
          </Link>
        </>
      )}
    </section>
  );
}

function Place({ event, queue }: { event: Event; queue: WaitingRoom }) {
  const status = queue.status;
  const startsAt = formatDateTime(status?.startsAt ?? queue.room?.startsAt ?? event.startsAt, event.timeZone);
  // Before the stream's first word the place is unknown: a returning shopper may have one already.
  const checking = status === null && queue.live === 'connecting' && !queue.liveError;
  const state = queue.refused ? 'refused' : (status?.state ?? (checking ? 'checking' : 'none'));
  const canJoin = ['none', 'refused', 'lapsed', 'done'].includes(state);
  const again = state !== 'none';
  const inLine = state === 'draw' || state === 'waiting';

  return (
    <>
      <div className="queue-status" aria-live="polite">
        {describe(state, status, startsAt, queue.refused)}
      </div>
      {inLine && <p className="small muted">{TURN} Keep this page open; another tab or a reload keeps the same place.</p>}
      {state === 'draw' && <p className="small muted">Arriving earlier, or refreshing, does not improve a place in the draw.</p>}
      {inLine && queue.live === 'connecting' && queue.liveError !== null && (
        <p className="small muted" role="status">
          Reconnecting to follow your place…
        </p>
      )}
      {queue.live === 'error' && (
        <div role="alert" className="form-error">
          Your place could not be followed live: {errorMessage(queue.liveError)}{' '}
          {!canJoin && (
            <button type="button" className="link-button" onClick={queue.join} disabled={queue.joining}>
              Check my place
            </button>
          )}
        </div>
      )}
      <FormError>{queue.joinError}</FormError>
      {canJoin && (
        <PendingButton type="button" pending={queue.joining} pendingLabel="Joining…" onClick={queue.join}>
          {again ? 'Join again' : 'Join the queue'}
        </PendingButton>
      )}
    </>
  );
}

/** The sentence about the shopper's place; the live region reads it out whenever it changes. */
function describe(state: string, status: QueueStatus | null, startsAt: string, refused: string | null): ReactNode {
  switch (state) {
    case 'checking':
      return <p className="muted">Checking your place in the queue…</p>;
    case 'none':
      return <p>Join the queue to take your place in line. {TURN}</p>;
    case 'draw':
      return (
        <p className="queue-place">
          <strong>You’re in.</strong> The order of everyone who arrived before {startsAt} is drawn at random at the start; {status?.waiting ?? 0}{' '}
          waiting.
        </p>
      );
    case 'waiting':
      return (
        <>
          <p className="queue-place">
            <strong>You are number {status?.position ?? '…'} in line.</strong>
          </p>
          {status?.estimatedWaitSeconds !== null && status?.estimatedWaitSeconds !== undefined && (
            <p>Estimated wait: {formatWait(status.estimatedWaitSeconds)}.</p>
          )}
        </>
      );
    case 'admitted':
    case 'shopping':
      return <p className="notice notice-ok">It’s your turn. Opening the seat map…</p>;
    case 'lapsed':
      return (
        <p className="notice">
          Your turn came, but your pass ran out before seats were held or bought, so your place passed on. Join again for a new place at the back of
          the line.
        </p>
      );
    case 'done':
      return <p className="notice notice-info">Your pass was used for your order. To buy more tickets, join the queue again.</p>;
    case 'open':
      return <p className="notice notice-ok">The doors are open: no queue any more. Loading the seat map…</p>;
    default:
      // The server's own words: expired, spent on an order, or not this account's.
      return <p className="notice">{refused ?? 'Your pass is no longer valid: join the queue again.'}</p>;
  }
}

/** Above the seat map while a pass lets the shopper in: how long it lasts. */
export function PassNotice({ pass }: { pass: QueuePass }) {
  return (
    <p className="notice notice-ok queue-pass" role="status">
      <strong>Your pass:</strong> hold seats by {formatClock(pass.useBy)}, buy by {formatClock(pass.expiresAt)}.
    </p>
  );
}
