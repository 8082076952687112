import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { FormError, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { downloadFile } from '../../lib/download';
import { errorMessage } from '../../lib/errors';
import { formatMoney, minorUnits } from '../../lib/format';
import { trpc } from '../../trpc';
import { EventFilter } from '../../features/staff-events/EventFilter';

function isoDay(value: string, endOfDay: boolean): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

export function ReportsPage() {
  const [eventId, setEventId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const report = trpc.admin.sales.report.useQuery({ eventId: eventId || undefined, from: isoDay(from, false), to: isoDay(to, true) });
  const data = report.data;
  const currency = data?.totals.currency ?? data?.byDay[0]?.currency ?? 'USD';
  const unit = minorUnits(currency);

  const byDay = useMemo(() => (data?.byDay ?? []).map((d) => ({ day: d.day.slice(5), net: d.netCents / unit })), [data, unit]);
  const byTier = useMemo(
    () =>
      (data?.byTier ?? []).map((t) => ({
        tier: eventId ? t.tierName : `${t.tierName} · ${t.eventName}`,
        net: t.netCents / unit,
      })),
    [data, unit, eventId],
  );
  const filterQuery = new URLSearchParams(
    Object.entries({ eventId: eventId || undefined, from: isoDay(from, false), to: isoDay(to, true) }).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  ).toString();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const download = async (what: string, url: string) => {
    setDownloading(what);
    setDownloadError(null);
    try {
      await downloadFile(url);
    } catch (error) {
      setDownloadError(error instanceof Error ? error.message : 'The download failed. Please try again.');
    } finally {
      setDownloading(null);
    }
  };
  const several = data?.totals.currency === null && (data?.byEvent.length ?? 0) > 1;
  const total = (cents: number) => (several ? 'Several currencies' : formatMoney(cents, currency));
  const money = (v: number) => formatMoney(Math.round(v * unit), currency);

  return (
    <div className="staff-page">
      <SubNav label="Staff" links={STAFF_LINKS} />
      <h1>Sales reports</h1>
      <div className="filters">
        <EventFilter value={eventId} onChange={setEventId} />
        <TextField label="From" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <TextField
          label="To"
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          errors={report.error && from && to ? [errorMessage(report.error)] : undefined}
        />
      </div>
      <div className="actions-row" role="group" aria-label="Downloads (CSV)">
        <button
          type="button"
          className="button button-secondary"
          disabled={downloading !== null}
          onClick={() => void download('report', `/api/staff/report.csv?${filterQuery}`)}
        >
          {downloading === 'report' ? 'Preparing…' : 'Report (CSV)'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={downloading !== null}
          onClick={() => void download('orders', `/api/staff/orders.csv${eventId ? `?eventId=${eventId}` : ''}`)}
        >
          {downloading === 'orders' ? 'Preparing…' : eventId ? 'Orders of this event (CSV)' : 'All orders (CSV)'}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={downloading !== null || !eventId}
          title={eventId ? undefined : 'Choose an event first'}
          onClick={() => void download('attendees', `/api/staff/attendees.csv?eventId=${eventId}`)}
        >
          {downloading === 'attendees' ? 'Preparing…' : 'Attendees (CSV)'}
        </button>
        {!eventId && <span className="muted small">Choose an event for its attendee list.</span>}
      </div>
      {downloadError && <FormError>{downloadError}</FormError>}
      {report.isPending ? (
        <Loading>Loading the report…</Loading>
      ) : report.isError ? (
        <LoadError error={report.error} />
      ) : data ? (
        <>
          <dl className="stats">
            <div className="card stat">
              <dt>Net revenue</dt>
              <dd>{total(data.totals.netCents)}</dd>
            </div>
            <div className="card stat">
              <dt>Gross</dt>
              <dd>{total(data.totals.grossCents)}</dd>
            </div>
            <div className="card stat">
              <dt>Discounts</dt>
              <dd>{total(data.totals.discountCents)}</dd>
            </div>
            <div className="card stat">
              <dt>Refunded</dt>
              <dd>{total(data.totals.refundedCents)}</dd>
            </div>
            <div className="card stat">
              <dt>Tickets sold</dt>
              <dd>{data.totals.ticketsSold.toLocaleString('en-US')}</dd>
            </div>
            <div className="card stat">
              <dt>Orders</dt>
              <dd>{data.totals.orders.toLocaleString('en-US')}</dd>
            </div>
          </dl>
          <p className="muted small">Net revenue = gross − discounts − refunds, for orders placed in the period.</p>
          <div className="charts">
            <section className="card" aria-labelledby="by-day-title">
              <h2 id="by-day-title">Net revenue by day</h2>
              {byDay.length === 0 ? (
                <p className="muted">No sales in this period.</p>
              ) : (
                <figure className="chart" aria-label={`Net revenue by day: ${byDay.map((d) => `${d.day} ${money(d.net)}`).join('; ')}`}>
                  <ResponsiveContainer width="100%" height={260}>
                    {/* Bars read well from one day to many; a line of one point is a lone dot. */}
                    <BarChart data={byDay} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ee" />
                      <XAxis dataKey="day" fontSize={12} />
                      <YAxis fontSize={12} tickFormatter={(v: number) => money(v)} width={80} />
                      <Tooltip formatter={(v) => money(Number(v))} />
                      <Bar dataKey="net" name="Net revenue" fill="#4f46e5" maxBarSize={48} radius={[4, 4, 0, 0]} />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
              )}
            </section>
            <section className="card" aria-labelledby="by-tier-title">
              <h2 id="by-tier-title">Net revenue by tier</h2>
              {byTier.length === 0 ? (
                <p className="muted">No tickets sold in this period.</p>
              ) : (
                <figure className="chart" aria-label={`Net revenue by tier: ${byTier.map((t) => `${t.tier} ${money(t.net)}`).join('; ')}`}>
                  <ResponsiveContainer width="100%" height={260}>
                    {/* One measure, one axis: tickets per tier are in the table below. */}
                    <BarChart data={byTier} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ee" />
                      <XAxis dataKey="tier" fontSize={12} />
                      <YAxis fontSize={12} tickFormatter={(v: number) => money(v)} width={80} />
                      <Tooltip formatter={(v) => money(Number(v))} />
                      <Bar dataKey="net" name="Net revenue" fill="#0f9488" maxBarSize={48} radius={[4, 4, 0, 0]} />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
              )}
            </section>
          </div>
          {data.byEvent.length > 0 && (
            <section className="card" aria-labelledby="by-event-title">
              <h2 id="by-event-title">By event</h2>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Event</th>
                      <th scope="col" className="num">
                        Orders
                      </th>
                      <th scope="col" className="num">
                        Tickets
                      </th>
                      <th scope="col" className="num">
                        Gross
                      </th>
                      <th scope="col" className="num">
                        Discounts
                      </th>
                      <th scope="col" className="num">
                        Refunded
                      </th>
                      <th scope="col" className="num">
                        Net
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byEvent.map((e) => (
                      <tr key={`${e.eventId}-${e.currency}`}>
                        <td>{e.eventName}</td>
                        <td className="num">{e.orders}</td>
                        <td className="num">{e.ticketsSold}</td>
                        <td className="num">{formatMoney(e.grossCents, e.currency)}</td>
                        <td className="num">{formatMoney(e.discountCents, e.currency)}</td>
                        <td className="num">{formatMoney(e.refundedCents, e.currency)}</td>
                        <td className="num">
                          <strong>{formatMoney(e.netCents, e.currency)}</strong>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}
          {data.byTier.length > 0 && (
            <section className="card section-gap" aria-labelledby="tier-table-title">
              <h2 id="tier-table-title">By tier</h2>
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Tier</th>
                      <th scope="col" className="num">
                        Tickets
                      </th>
                      <th scope="col" className="num">
                        Gross
                      </th>
                      <th scope="col" className="num">
                        Discounts
                      </th>
                      <th scope="col" className="num">
                        Net
                      </th>
                      <th scope="col" className="num">
                        Refunded
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byTier.map((t) => (
                      <tr key={`${t.eventId}-${t.tierName}-${t.currency}`}>
                        <td>{eventId ? t.tierName : `${t.tierName} · ${t.eventName}`}</td>
                        <td className="num">{t.ticketsSold}</td>
                        <td className="num">{formatMoney(t.grossCents, t.currency)}</td>
                        <td className="num">{formatMoney(t.discountCents, t.currency)}</td>
                        <td className="num">
                          <strong>{formatMoney(t.netCents, t.currency)}</strong>
                        </td>
                        <td className="num">{formatMoney(t.refundedCents, t.currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}
        </>
      ) : null}
    </div>
  );
}
