import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormError, PendingButton, SelectField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useSession } from '../../lib/session';
import { trpc, type RouterOutputs } from '../../trpc';
import { MAX_HELD_PER_EVENT } from '../../../../shared/seats';
import { OFFER_MINUTES } from '../../../../shared/waitlist';

type Event = RouterOutputs['events']['byId'];

/**
 * The waiting list of a sold-out event: join it for a number of seats (of one tier, or any), see
 * your place, leave it. When seats come back the next in line gets them held for OFFER_MINUTES and
 * a mail; the seat map then shows them as yours, ready to buy.
 */
export function WaitlistBox({ event, soldOut }: { event: Event; soldOut: boolean }) {
  const { user } = useSession();
  const toast = useToast();
  const utils = trpc.useUtils();
  const mine = trpc.waitlist.mine.useQuery({ eventId: event.id }, { enabled: !!user && soldOut, refetchInterval: 15_000 });
  const join = useAction(trpc.waitlist.join.useMutation({ onSuccess: () => utils.waitlist.mine.invalidate() }), { errors: 'form' });
  const leave = useAction(trpc.waitlist.leave.useMutation({ onSuccess: () => utils.waitlist.mine.invalidate() }), { errors: 'toast' });
  const [quantity, setQuantity] = useState('2');
  const [tierId, setTierId] = useState('');
  const entry = mine.data ?? null;
  if (!entry && !soldOut) return null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    join.run(
      { eventId: event.id, quantity: Number(quantity), ...(tierId ? { tierId } : {}) },
      { onSuccess: (joined) => toast.success(`You are number ${joined.position} on the waiting list.`) },
    );
  };
  return (
    <section className="card waitlist" aria-labelledby="waitlist-title">
      <h2 id="waitlist-title">Waiting list</h2>
      {!user ? (
        <p>
          Sold out for now. <Link to={`/login?next=${encodeURIComponent(`/events/${event.id}`)}`}>Sign in</Link> to join the waiting list: when seats
          come back, the next in line gets them held for {OFFER_MINUTES} minutes and a mail.
        </p>
      ) : entry?.status === 'OFFERED' && entry.offerExpiresAt ? (
        <p className="notice notice-warn">
          Seats came free and are held for you until <strong>{formatDateTime(entry.offerExpiresAt, event.timeZone)}</strong>: they are marked as yours
          on the seat map. Buy them before then, or they pass to the next person waiting.
        </p>
      ) : entry ? (
        <>
          <p>
            You are <strong>number {entry.position}</strong> on the waiting list for {entry.quantity === 1 ? '1 seat' : `${entry.quantity} seats`}.
            When seats come back we hold them for you for {OFFER_MINUTES} minutes and mail you.
          </p>
          <PendingButton
            type="button"
            variant="secondary"
            pending={leave.pending}
            pendingLabel="Leaving…"
            onClick={() => leave.run({ eventId: event.id })}
          >
            Leave the waiting list
          </PendingButton>
        </>
      ) : (
        <form onSubmit={submit} noValidate className="inline-form" aria-label="Join the waiting list">
          <p className="waitlist-intro">
            Sold out for now. Join the waiting list: when seats come back, the next in line gets them held for {OFFER_MINUTES} minutes and a mail.
          </p>
          <SelectField label="Seats" value={quantity} onChange={(e) => setQuantity(e.target.value)} errors={join.fieldErrors.quantity}>
            {Array.from({ length: MAX_HELD_PER_EVENT }, (_, i) => String(i + 1)).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </SelectField>
          {event.tiers.length > 1 && (
            <SelectField label="Where" value={tierId} onChange={(e) => setTierId(e.target.value)} errors={join.fieldErrors.tierId}>
              <option value="">Any seats</option>
              {event.tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
          )}
          <PendingButton type="submit" pending={join.pending} pendingLabel="Joining…">
            Join the waiting list
          </PendingButton>
          <FormError>{join.formError}</FormError>
        </form>
      )}
    </section>
  );
}
