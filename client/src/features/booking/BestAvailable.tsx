import { useState, type FormEvent } from 'react';
import { MAX_HELD_PER_EVENT } from '../../../../shared/seats';
import { FormError, PendingButton, SelectField } from '../../components/Form';
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
}

/**
 * "Quantity first": say how many seats and where, and the server holds the best block of that many
 * side by side (nearest the centre of the stage). An alternative to picking seats on the map.
 */
export function BestAvailable({ eventId, tiers, heldCount, signedIn, onSignIn, onHeld }: BestAvailableProps) {
  const reserveBest = useReserveBest();
  const room = MAX_HELD_PER_EVENT - heldCount;
  const [quantity, setQuantity] = useState(2);
  const [tierId, setTierId] = useState('');
  const wanted = Math.min(quantity, Math.max(room, 1));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!signedIn) return onSignIn();
    reserveBest.run({ eventId, quantity: wanted, ...(tierId ? { tierId } : {}) }, { onSuccess: onHeld });
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
