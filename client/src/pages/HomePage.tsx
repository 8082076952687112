import { useState } from 'react';
import { EventCard } from '../components/EventCard';
import { LoadMore } from '../components/QueryStatus';
import { errorMessage } from '../lib/errors';
import { useDebounced } from '../lib/useDebounced';
import { trpc } from '../trpc';

const PAGE_SIZE = 12;

export function HomePage() {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 300);
  const events = trpc.events.list.useInfiniteQuery(
    { q: q || undefined, limit: PAGE_SIZE },
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
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
          />
        </form>
      </section>

      <section aria-labelledby="events-title">
        <h2 id="events-title" className="section-title">
          {q ? `Events matching “${q}”` : 'On sale now'}
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
          <p className="muted empty">{q ? 'No events match your search.' : 'No events are on sale right now. Check back soon.'}</p>
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
