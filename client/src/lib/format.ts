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

const sameZones = new Map<string, boolean>();

function sameZone(timeZone: string): boolean {
  let same = sameZones.get(timeZone);
  if (same === undefined) {
    try {
      same = timeZone === viewerZone || new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone === viewerZone;
    } catch {
      same = false;
    }
    sameZones.set(timeZone, same);
  }
  return same;
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
