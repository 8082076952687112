import { EVENT_TIME_FORMAT } from '../../../shared/money';

export { formatMoney, minorUnits } from '../../../shared/money';

/** In the visitor's own zone. */
const dateTime = new Intl.DateTimeFormat('en-US', EVENT_TIME_FORMAT);
const viewerZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
const zoned = new Map<string, Intl.DateTimeFormat>();
const dateOnly = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric' });

/**
 * An event's time as its venue's clock shows it (what the ticket says), with the zone named when
 * it is not the visitor's own ("Sat, May 1, 2027, 7:30 PM GMT+1"). Without a zone: the visitor's.
 */
export function formatDateTime(iso: string, timeZone?: string): string {
  if (!timeZone || sameZone(timeZone)) return dateTime.format(new Date(iso));
  let format = zoned.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { ...EVENT_TIME_FORMAT, timeZone, timeZoneName: 'shortOffset' });
    zoned.set(timeZone, format);
  }
  return format.format(new Date(iso));
}

function sameZone(timeZone: string): boolean {
  if (timeZone === viewerZone) return true;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone === viewerZone;
  } catch {
    return false;
  }
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
