import { TZDate } from '@date-fns/tz';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `<input type="datetime-local">` holds a wall-clock time without a zone; staff mean the venue's
 * wall clock, so the value is read and written in the event's zone, not the browser's. The zone
 * arithmetic (offsets, summer time) is @date-fns/tz's.
 */
export function toLocalInput(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '';
  const d = timeZone ? new TZDate(iso, timeZone) : new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant a wall-clock value means in `timeZone` (the browser's when none), as ISO; undefined when empty or unreadable. */
export function fromLocalInput(value: string, timeZone?: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = timeZone ? new TZDate(y, mo - 1, d, h, mi, timeZone) : new Date(y, mo - 1, d, h, mi);
  return Number.isNaN(date.getTime()) ? undefined : new Date(date.getTime()).toISOString();
}

/** The browser's own zone. */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Every zone the browser knows, for pickers (the event's current one first if it is missing). */
export function timeZones(current?: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = all.includes('UTC') ? [...all] : ['UTC', ...all];
  return current && !list.includes(current) ? [current, ...list] : list;
}

/** "GMT+1" for the zone at that moment. */
export function zoneLabel(timeZone: string, at: Date = new Date()): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}
