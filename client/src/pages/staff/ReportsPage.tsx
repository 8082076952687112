import { useMemo, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
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

  const byDay = useMemo(
    () => (data?.byDay ?? []).map((d) => ({ day: d.day.slice(5), revenue: d.revenueCents / unit, tickets: d.ticketsSold })),
    [data, unit],
  );
  const byTier = useMemo(
    () =>
      (data?.byTier ?? []).map((t) => ({
        tier: eventId ? t.tierName : `${t.tierName} · ${t.eventName}`,
        tickets: t.ticketsSold,
        gross: t.grossCents / unit,
      })),
    [data, unit, eventId],
  );
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
      {report.isPending ? (
        <Loading>Loading the report…</Loading>
      ) : report.isError ? (
        <LoadError error={report.error} />
      ) : data ? (
        <>
          <dl className="stats">
            <div className="card stat">
              <dt>Revenue</dt>
              <dd>
                {data.totals.currency === null && data.byEvent.length > 1 ? 'Several currencies' : formatMoney(data.totals.revenueCents, currency)}
              </dd>
            </div>
            <div className="card stat">
              <dt>Tickets sold</dt>
              <dd>{data.totals.ticketsSold.toLocaleString('en-US')}</dd>
            </div>
            <div className="card stat">
              <dt>Orders</dt>
              <dd>{data.totals.orders.toLocaleString('en-US')}</dd>
            </div>
            <div className="card stat">
              <dt>Refunded</dt>
              <dd>{formatMoney(data.totals.refundedCents, currency)}</dd>
            </div>
          </dl>
          <div className="charts">
            <section className="card" aria-labelledby="by-day-title">
              <h2 id="by-day-title">Revenue by day</h2>
              {byDay.length === 0 ? (
                <p className="muted">No sales in this period.</p>
              ) : (
                <figure className="chart" aria-label={`Revenue by day: ${byDay.map((d) => `${d.day} ${money(d.revenue)}`).join('; ')}`}>
                  <ResponsiveContainer width="100%" height={260}>
                    {/* Bars read well from one day to many; a line of one point is a lone dot. */}
                    <BarChart data={byDay} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ee" />
                      <XAxis dataKey="day" fontSize={12} />
                      <YAxis fontSize={12} tickFormatter={(v: number) => money(v)} width={80} />
                      <Tooltip formatter={(v) => money(Number(v))} />
                      <Bar dataKey="revenue" name="Revenue" fill="#4f46e5" maxBarSize={48} radius={[4, 4, 0, 0]} />
                    </BarChart>
                  </ResponsiveContainer>
                </figure>
              )}
            </section>
            <section className="card" aria-labelledby="by-tier-title">
              <h2 id="by-tier-title">Sales by tier</h2>
              {byTier.length === 0 ? (
                <p className="muted">No tickets sold in this period.</p>
              ) : (
                <figure className="chart" aria-label={`Sales by tier: ${byTier.map((t) => `${t.tier} ${t.tickets} tickets`).join('; ')}`}>
                  <ResponsiveContainer width="100%" height={260}>
                    <BarChart data={byTier} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" stroke="#e2e5ee" />
                      <XAxis dataKey="tier" fontSize={12} />
                      <YAxis yAxisId="tickets" fontSize={12} allowDecimals={false} />
                      <YAxis yAxisId="gross" orientation="right" fontSize={12} tickFormatter={(v: number) => money(v)} width={80} />
                      <Tooltip formatter={(v, name) => (name === 'Gross' ? money(Number(v)) : v)} />
                      <Legend />
                      <Bar yAxisId="tickets" dataKey="tickets" name="Tickets" fill="#0f9488" radius={[4, 4, 0, 0]} />
                      <Bar yAxisId="gross" dataKey="gross" name="Gross" fill="#4f46e5" radius={[4, 4, 0, 0]} />
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
                        Revenue
                      </th>
                      <th scope="col" className="num">
                        Refunded
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.byEvent.map((e) => (
                      <tr key={e.eventId}>
                        <td>{e.eventName}</td>
                        <td className="num">{e.orders}</td>
                        <td className="num">{e.ticketsSold}</td>
                        <td className="num">{formatMoney(e.revenueCents, e.currency)}</td>
                        <td className="num">{formatMoney(e.refundedCents, e.currency)}</td>
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
