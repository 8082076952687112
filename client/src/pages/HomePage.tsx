import { trpc } from '../trpc';

const DATABASE_LABELS = {
  pglite: 'embedded PostgreSQL',
  postgresql: 'PostgreSQL server',
} as const;

export function HomePage() {
  const health = trpc.health.useQuery();

  return (
    <>
      <section className="hero">
        <h1>Tessera</h1>
        <p className="muted">Open ticketing: events, live seat maps, holds, orders and scannable tickets.</p>
      </section>

      <section className="card" aria-labelledby="server-status">
        <h2 id="server-status">Server status</h2>
        {health.isPending ? (
          <p role="status" className="muted">
            Checking the server…
          </p>
        ) : health.isError ? (
          <div role="alert" className="error">
            <p>The server could not be reached: {health.error.message}</p>
            <button type="button" className="button" onClick={() => health.refetch()} disabled={health.isFetching}>
              {health.isFetching ? 'Trying again…' : 'Try again'}
            </button>
          </div>
        ) : (
          <dl className="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <span className="badge badge-ok">{health.data.status}</span>
              </dd>
            </div>
            <div>
              <dt>Database</dt>
              <dd>
                <code>{health.data.database}</code>{' '}
                <span className="muted">({DATABASE_LABELS[health.data.database]})</span>
              </dd>
            </div>
            <div>
              <dt>Version</dt>
              <dd>
                <code>{health.data.version}</code>
              </dd>
            </div>
          </dl>
        )}
      </section>
    </>
  );
}
