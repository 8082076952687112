import { formatCountdown } from '../../lib/format';

/** The time left on a hold, shown the same way wherever seats are held: minutes and seconds, red in the last minute. */
export function HoldCountdown({ remaining }: { remaining: number }) {
  return (
    <span
      className={`countdown ${remaining < 60_000 ? 'countdown-urgent' : ''}`}
      role="timer"
      aria-label={`Hold expires in ${formatCountdown(remaining)}`}
    >
      {formatCountdown(remaining)}
    </span>
  );
}
