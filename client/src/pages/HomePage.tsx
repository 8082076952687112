import { useSearchParams } from 'react-router';
import { EventCard } from '../components/EventCard';
import { LoadMore } from '../components/QueryStatus';
import { errorMessage } from '../lib/errors';
import { usePageMeta } from '../lib/page-meta';
import { useDebounced } from '../lib/useDebounced';
import { trpc } from '../trpc';

const PAGE_SIZE = 12;
/** Budgets offered by the price filter, in cents of the events' currency. */
const BUDGETS = [2500, 5000, 10000, 20000];

/** "2026-12-01" (a date input's value, the visitor's own day) -> the ISO moment that day starts, locally. */
function dayStart(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The start page: events on sale, with a text search and filters for dates, venue and price. Every
 * filter lives in the address (?q=&from=&to=&venue=&max=), so a filtered list can be shared.
 */
export function HomePage() {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const venue = params.get('venue') ?? '';
  const max = params.get('max') ?? '';
  const q = useDebounced(search.trim(), 300);
  const set = (name: string, value: string) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  const fromIso = dayStart(from);
  // "To" includes the whole day chosen.
  const toIso = dayStart(to, 1);
  const backwards = !!fromIso && !!toIso && Date.parse(toIso) <= Date.parse(fromIso);
  const maxPriceCents = /^\d+$/.test(max) ? Number(max) : undefined;
  const filtered = !!(q || fromIso || toIso || venue || maxPriceCents !== undefined);
  usePageMeta(null);

  const venues = trpc.events.venues.useQuery();
  const events = trpc.events.list.useInfiniteQuery(
    {
      q: q || undefined,
      from: fromIso,
      to: backwards ? undefined : toIso,
      venue: venue || undefined,
      maxPriceCents,
      limit: PAGE_SIZE,
    },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <section className="hero">
        <h1>Find your seat</h1>
        <p className="muted">Concerts, theatre and talks. Pick the exact seat you want, hold it while you decide, and pay once.</p>
        <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="event-search" className="visually-hidden">
            Search events
          </label>
          <input
            id="event-search"
            type="search"
            placeholder="Search by event or venue"
            value={search}
            onChange={(e) => set('q', e.target.value)}
            autoComplete="off"
          />
        </form>
        <form className="event-filters" aria-label="Filter events" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="filter-from">From</label>
            <input id="filter-from" type="date" value={from} onChange={(e) => set('from', e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="filter-to">To</label>
            <input
              id="filter-to"
              type="date"
              value={to}
              min={from || undefined}
              onChange={(e) => set('to', e.target.value)}
              aria-invalid={backwards || undefined}
              aria-describedby={backwards ? 'filter-to-error' : undefined}
            />
          </div>
          <div className="field">
            <label htmlFor="filter-venue">Venue</label>
            <select id="filter-venue" value={venue} onChange={(e) => set('venue', e.target.value)}>
              <option value="">Any venue</option>
              {venue && !venues.data?.includes(venue) && <option value={venue}>{venue}</option>}
              {venues.data?.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filter-price">Price</label>
            <select id="filter-price" value={max} onChange={(e) => set('max', e.target.value)}>
              <option value="">Any price</option>
              {BUDGETS.map((cents) => (
                <option key={cents} value={cents}>
                  Seats at {cents / 100} or less
                </option>
              ))}
            </select>
          </div>
          {filtered && (
            <button type="button" className="button button-ghost event-filters-clear" onClick={() => setParams({}, { replace: true })}>
              Clear filters
            </button>
          )}
          {backwards && (
            <p id="filter-to-error" className="field-error event-filters-error">
              The end date is before the start date.
            </p>
          )}
        </form>
      </section>

      <section aria-labelledby="events-title">
        <h2 id="events-title" className="section-title">
          {q ? `Events matching “${q}”` : filtered ? 'Events for your filters' : 'On sale now'}
        </h2>
        {events.isPending ? (
          <p role="status" className="muted">
            Loading events…
          </p>
        ) : events.isError ? (
          <div role="alert" className="form-error">
            <p>The events could not be loaded: {errorMessage(events.error)}</p>
            <button type="button" className="button button-secondary" onClick={() => void events.refetch()} disabled={events.isFetching}>
              {events.isFetching ? 'Trying again…' : 'Try again'}
            </button>
          </div>
        ) : items.length === 0 ? (
          <p className="muted empty">{filtered ? 'No events match your search and filters.' : 'No events are on sale right now. Check back soon.'}</p>
        ) : (
          <>
            <ul className="event-grid">
              {items.map((event) => (
                <EventCard key={event.id} event={event} />
              ))}
            </ul>
            <LoadMore query={events} label="Show more events" />
          </>
        )}
      </section>
    </>
  );
}
