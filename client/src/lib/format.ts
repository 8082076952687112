import { EVENT_TIME_FORMAT } from '../../../shared/money';

export { formatMoney, minorUnits } from '../../../shared/money';

/** In the visitor's own zone. */
const dateTime = new Intl.DateTimeFormat('en-US', EVENT_TIME_FORMAT);
const dateOnly = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

/** "4:07" for a countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
