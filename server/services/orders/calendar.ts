import { createEvent } from 'ics';

export interface CalendarEntry {
  orderNumber: string;
  eventId: string;
  eventName: string;
  venue: string;
  startsAt: Date;
  endsAt: Date | null;
  url: string;
}

/** How long an event without an end time is assumed to last in a calendar. */
const DEFAULT_HOURS = 3;

/**
 * An iCalendar (.ics) entry for the event, in UTC (every calendar shows it in its own zone). The
 * UID is the order's, so a second mail about the same order updates the entry instead of adding one.
 */
export function calendarFile(entry: CalendarEntry): string {
  const end = entry.endsAt ?? new Date(entry.startsAt.getTime() + DEFAULT_HOURS * 3_600_000);
  const { error, value } = createEvent({
    uid: `${entry.orderNumber}-${entry.eventId}@tessera`,
    productId: 'tessera/tickets',
    method: 'PUBLISH',
    title: entry.eventName,
    location: entry.venue,
    description: `Order ${entry.orderNumber}. Your tickets: ${entry.url}`,
    url: entry.url,
    start: entry.startsAt.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    status: 'CONFIRMED',
  });
  if (error || !value) throw new Error(`calendar entry could not be made: ${error?.message ?? 'no value'}`);
  return value;
}
