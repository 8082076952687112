import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { LoadError, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { formatDateTime } from '../../lib/format';
import { trpc, type RouterOutputs } from '../../trpc';
import { useConfirmLeave } from '../../lib/unsaved-changes';
import { EventDetailsForm } from '../../features/staff-events/EventDetailsForm';
import { PricingForms } from '../../features/staff-events/PricingForms';
import { VouchersPanel } from '../../features/staff-events/VouchersPanel';
import { WaitlistPanel } from '../../features/staff-events/WaitlistPanel';
import { WaitingRoomPanel } from '../../features/staff-events/WaitingRoomPanel';
import { SeatGenerator } from '../../features/staff-events/SeatGenerator';
import { LayoutEditor } from '../../features/staff-events/LayoutEditor';

const STATUS_LABEL = { DRAFT: 'Draft', ON_SALE: 'On sale', CANCELLED: 'Cancelled' } as const;
const STATUS_TONE = { DRAFT: 'warn', ON_SALE: 'ok', CANCELLED: 'danger' } as const;

export function StaffEventsPage() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('event');
  const events = trpc.events.list.useQuery({ includePast: true, limit: 100 });
  const choose = (id: string | null) => setParams(id ? { event: id } : {});

  return (
    <div className="staff-page">
      <SubNav label="Staff" links={STAFF_LINKS} />
      <div className="page-head">
        <h1>Events</h1>
        <button type="button" className="button button-primary" onClick={() => choose('new')}>
          New event
        </button>
      </div>
      <div className="split">
        <nav aria-label="All events" className="card flush event-index">
          {events.isPending ? (
            <Loading className="muted pad" />
          ) : events.isError ? (
            <LoadError error={events.error} />
          ) : events.data.items.length === 0 ? (
            <p className="muted pad">No events yet. Create the first one.</p>
          ) : (
            <ul>
              {events.data.items.map((e) => (
                <li key={e.id}>
                  <button
                    type="button"
                    className={`event-index-item ${selected === e.id ? 'active' : ''}`}
                    aria-current={selected === e.id || undefined}
                    onClick={() => choose(e.id)}
                  >
                    <span className="event-index-name">{e.name}</span>
                    <span className="small muted">{formatDateTime(e.startsAt, e.timeZone)}</span>
                    <span className="event-index-meta">
                      <span className={`badge badge-${STATUS_TONE[e.status]}`}>{STATUS_LABEL[e.status]}</span>
                      <span className="small muted">
                        {e.seats.sold.toLocaleString('en-US')} of {e.seats.total.toLocaleString('en-US')} sold
                      </span>
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <div className="editor">
          {selected === 'new' ? (
            <section className="card" aria-labelledby="new-event-title">
              <h2 id="new-event-title">New event</h2>
              <EventDetailsForm onSaved={(e) => choose(e.id)} />
            </section>
          ) : selected ? (
            <EventEditor key={selected} id={selected} />
          ) : (
            <section className="card">
              <p className="muted">Choose an event to edit its details, prices and seats, or create a new one.</p>
            </section>
          )}
        </div>
      </div>
    </div>
  );
}

function EventEditor({ id }: { id: string }) {
  const event = trpc.events.byId.useQuery({ id });
  const [tab, setTab] = useState<'details' | 'prices' | 'seats' | 'codes' | 'waiting' | 'queue'>('details');
  // A tab's form goes away with the tab: unsaved edits are asked about first.
  const confirmLeave = useConfirmLeave();
  const switchTo = (next: typeof tab) => {
    if (next !== tab && confirmLeave()) setTab(next);
  };
  if (event.isPending) return <Loading />;
  if (event.isError) return <LoadError error={event.error} />;
  const e = event.data;
  const tabs = [
    ['details', 'Details'],
    ['prices', 'Prices'],
    ['seats', 'Seats'],
    ['codes', 'Codes'],
    ['waiting', 'Waiting list'],
    ['queue', 'Waiting room'],
  ] as const;
  return (
    <section className="card" aria-labelledby="editor-title">
      <div className="page-head">
        <div>
          <h2 id="editor-title">{e.name}</h2>
          <p className="small muted">
            {e.seats.total.toLocaleString('en-US')} seats · {e.seats.sold.toLocaleString('en-US')} sold · {e.seats.reserved.toLocaleString('en-US')}{' '}
            held · <Link to={`/events/${e.id}`}>View public page</Link>
          </p>
        </div>
        <span className={`badge badge-${STATUS_TONE[e.status]}`}>{STATUS_LABEL[e.status]}</span>
      </div>
      <div role="tablist" aria-label="Edit event" className="tabs">
        {tabs.map(([key, text]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`panel-${key}`}
            className="tab"
            onClick={() => switchTo(key)}
          >
            {text}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'details' && <EventDetailsForm event={e} />}
        {tab === 'prices' && <PricingForms event={e} />}
        {tab === 'codes' && <VouchersPanel event={e} />}
        {tab === 'waiting' && <WaitlistPanel event={e} />}
        {tab === 'queue' && <WaitingRoomPanel event={e} />}
        {tab === 'seats' && <SeatsPanel event={e} onGoToPrices={() => switchTo('prices')} />}
      </div>
    </section>
  );
}

/** Seats as plain rows (a hall, an arena floor) or as a venue layout in sections. */
function SeatsPanel({ event, onGoToPrices }: { event: RouterOutputs['events']['byId']; onGoToPrices: () => void }) {
  const [mode, setMode] = useState<'rows' | 'sections'>('rows');
  const confirmLeave = useConfirmLeave();
  if (event.tiers.length === 0) return <SeatGenerator event={event} onGoToPrices={onGoToPrices} />;
  return (
    <div className="stack">
      <div role="group" aria-label="How to lay out the seats" className="segmented">
        {(
          [
            ['rows', 'Rows'],
            ['sections', 'Sections and accessible seats'],
          ] as const
        ).map(([key, text]) => (
          <button
            key={key}
            type="button"
            className={`button button-small ${mode === key ? 'button-primary' : 'button-secondary'}`}
            aria-pressed={mode === key}
            onClick={() => mode !== key && confirmLeave() && setMode(key)}
          >
            {text}
          </button>
        ))}
      </div>
      {mode === 'rows' ? <SeatGenerator event={event} onGoToPrices={onGoToPrices} /> : <LayoutEditor event={event} />}
    </div>
  );
}
