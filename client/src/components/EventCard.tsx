import { Link } from 'react-router';
import { formatMoney } from '../lib/format';
import type { RouterOutputs } from '../trpc';

type EventSummary = RouterOutputs['events']['list']['items'][number];

/** The card reads the venue's clock, like the ticket (the zone is named on the event page). */
const FORMATS = {
  month: { month: 'short' },
  dayOfMonth: { day: 'numeric' },
  day: { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' },
  time: { hour: 'numeric', minute: '2-digit' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per kind and zone, made once (a page of cards would otherwise make four per card per render). */
function inZone(kind: keyof typeof FORMATS, timeZone: string): Intl.DateTimeFormat {
  const key = `${kind} ${timeZone}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat('en-US', { ...FORMATS[kind], timeZone })));
  return format;
}
/** "Few left" below this share of the seats, or at this many seats or fewer once half are gone. */
const FEW_SHARE = 0.1;
const FEW_SEATS = 20;

/** A stable colour per event for the card art when it has no image. */
function hue(id: string): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

/** The badge a card shows for its seats: sold out, few left, or none. */
export function availability(seats: EventSummary['seats']): { text: string; tone: string } | null {
  if (seats.total === 0) return null;
  if (seats.available === 0) return { text: 'Sold out', tone: 'danger' };
  if (seats.available / seats.total < FEW_SHARE || (seats.available <= FEW_SEATS && seats.available * 2 <= seats.total)) {
    return { text: `Few left: ${seats.available} ${seats.available === 1 ? 'seat' : 'seats'}`, tone: 'warn' };
  }
  return null;
}

export function EventCard({ event }: { event: EventSummary }) {
  const starts = new Date(event.startsAt);
  const zone = event.timeZone;
  const avail = availability(event.seats);
  return (
    <li className="event-card">
      <Link to={`/events/${event.id}`} className="event-card-link">
        <div className="event-art" style={event.imageUrl ? undefined : { '--h': hue(event.id) }}>
          {event.imageUrl ? <img src={event.imageUrl} alt="" loading="lazy" /> : <span aria-hidden="true">{event.name.slice(0, 1)}</span>}
          <span className="date-chip" aria-hidden="true">
            <span>{inZone('month', zone).format(starts)}</span>
            <strong>{inZone('dayOfMonth', zone).format(starts)}</strong>
          </span>
        </div>
        <div className="event-body">
          <h3>{event.name}</h3>
          <p className="muted small">
            <time dateTime={event.startsAt}>
              {inZone('day', zone).format(starts)} · {inZone('time', zone).format(starts)}
            </time>
          </p>
          <p className="event-venue small">{event.venue}</p>
          <div className="event-foot">
            {event.minPriceCents !== null && event.currency ? (
              <span className="price-from">
                From <strong>{formatMoney(event.minPriceCents, event.currency)}</strong>
              </span>
            ) : (
              <span className="muted small">Prices soon</span>
            )}
            {event.status === 'CANCELLED' ? (
              <span className="badge badge-danger">Cancelled</span>
            ) : avail ? (
              <span className={`badge badge-${avail.tone}`}>{avail.text}</span>
            ) : null}
          </div>
        </div>
      </Link>
    </li>
  );
}
