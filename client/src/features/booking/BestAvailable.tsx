import { useState, type FormEvent } from 'react';
import { MAX_HELD_PER_EVENT } from '../../../../shared/seats';
import { FormError, PendingButton, SelectField } from '../../components/Form';
import { errorMessage, reasonOf } from '../../lib/errors';
import { formatMoney } from '../../lib/format';
import type { Hold } from '../../../../shared/tickets';
import type { Tier } from '../seatmap/layout';
import { useReserveBest } from './api';

interface BestAvailableProps {
  eventId: string;
  tiers: Tier[];
  /** Seats the visitor holds already: the hold limit counts them. */
  heldCount: number;
  signedIn: boolean;
  onSignIn: () => void;
  onHeld: (hold: Hold) => void;
  /** The shopper's admission pass, behind a waiting room: the hold carries it. */
  pass?: string | undefined;
  /** The hold was refused for want of a (good) pass, in the server's words: the page queues again. */
  onPassRefused?: ((message: string) => void) | undefined;
}

/**
 * "Quantity first": say how many seats and where, and the server holds the best block of that many
 * side by side (nearest the centre of the stage). An alternative to picking seats on the map.
 */
export function BestAvailable({ eventId, tiers, heldCount, signedIn, onSignIn, onHeld, pass, onPassRefused }: BestAvailableProps) {
  const reserveBest = useReserveBest();
  const room = MAX_HELD_PER_EVENT - heldCount;
  const [quantity, setQuantity] = useState(2);
  const [tierId, setTierId] = useState('');
  const wanted = Math.min(quantity, Math.max(room, 1));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signedIn) return onSignIn();
    reserveBest.run(
      { eventId, quantity: wanted, ...(tierId ? { tierId } : {}), ...(pass ? { pass } : {}) },
      {
        onSuccess: onHeld,
        // Other failures show in the form (reserveBest.formError); a refused pass takes the page back to the queue.
        onError: (error) => {
          if (reasonOf(error) === 'QUEUE_PASS_REQUIRED') onPassRefused?.(errorMessage(error));
        },
      },
    );
  };

  if (room < 1) return null;
  return (
    <form className="best-available" onSubmit={submit} aria-labelledby="best-title">
      <h3 id="best-title">Best available</h3>
      <div className="best-fields">
        <SelectField label="Seats" value={wanted} onChange={(e) => setQuantity(Number(e.target.value))} errors={reserveBest.fieldErrors.quantity}>
          {Array.from({ length: room }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </SelectField>
        <SelectField label="Where" value={tierId} onChange={(e) => setTierId(e.target.value)} errors={reserveBest.fieldErrors.tierId}>
          <option value="">Any price</option>
          {tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.name} · {formatMoney(tier.priceCents, tier.currency)}
            </option>
          ))}
        </SelectField>
      </div>
      <FormError>{reserveBest.formError}</FormError>
      <PendingButton pending={reserveBest.pending} pendingLabel="Finding seats…" variant="secondary" className="button-block">
        {signedIn ? `Find the best ${wanted === 1 ? 'seat' : `${wanted} seats together`}` : 'Sign in to find seats'}
      </PendingButton>
    </form>
  );
}
