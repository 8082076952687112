import { PendingButton } from '../../components/Form';
import { HoldCountdown } from './HoldCountdown';
import { seatList, type Seat } from '../../lib/seats';

interface HoldBoxProps {
  held: Seat[];
  /** Milliseconds left on the hold, when this tab knows it. */
  remaining: number | null;
  onBuy: () => void;
  onRelease: () => void;
  releasing: boolean;
  /** A hold or a release is on its way: neither button may be pressed. */
  busy: boolean;
}

/** The seats held for the visitor, the time left to buy them, and the way to buy or let go of them. */
export function HoldBox({ held, remaining, onBuy, onRelease, releasing, busy }: HoldBoxProps) {
  return (
    <div className="hold-box" aria-live="polite">
      <div className="hold-head">
        <strong>{held.length === 1 ? '1 seat' : `${held.length} seats`} held for you</strong>
        {remaining !== null && <HoldCountdown remaining={remaining} />}
      </div>
      <p className="small muted">{seatList(held)} · Complete your purchase before the timer runs out.</p>
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={onBuy} disabled={busy}>
          Buy {held.length === 1 ? 'this seat' : `these ${held.length} seats`}
        </button>
        <PendingButton type="button" variant="secondary" pending={releasing} pendingLabel="Releasing…" onClick={onRelease} disabled={busy}>
          Release
        </PendingButton>
      </div>
    </div>
  );
}
