import { useState } from 'react';
import { SelectField, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { formatDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { trpc } from '../../trpc';
import { AUTH_EVENT_TYPES } from '../../../../shared/admin';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function AuditPage() {
  const [type, setType] = useState('');
  const [userId, setUserId] = useState('');
  const user = useDebounced(userId.trim(), 300);
  const validUser = user === '' || UUID.test(user);
  const audit = trpc.admin.audit.list.useInfiniteQuery(
    { type: type || undefined, userId: validUser && user ? user : undefined, limit: 50 },
    { getNextPageParam: (p) => p.nextCursor ?? undefined },
  );
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="admin-page">
      <SubNav label="Admin" links={ADMIN_LINKS} />
      <h1>Audit log</h1>
      <div className="filters">
        <SelectField label="Event type" value={type} onChange={(e) => setType(e.target.value)}>
          <option value="">All types</option>
          {AUTH_EVENT_TYPES.map((t) => (
            <option key={t} value={t}>
              {t.replace(/_/g, ' ')}
            </option>
          ))}
        </SelectField>
        <TextField
          label="User id"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          errors={validUser ? undefined : ['Paste a user id (a UUID).']}
        />
      </div>
      {audit.isPending ? (
        <Loading />
      ) : audit.isError ? (
        <LoadError error={audit.error} />
      ) : items.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <div className="table-wrap card flush">
          <table className="table">
            <caption className="visually-hidden">Security events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Account</th>
                <th scope="col">Address</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
                  <td>
                    <span className={`badge ${/fail|reuse/.test(entry.type) ? 'badge-danger' : 'badge-neutral'}`}>
                      {entry.type.replace(/_/g, ' ')}
                    </span>
                  </td>
                  <td>
                    {entry.email ?? '—'}
                    {entry.userId && (
                      <button type="button" className="link-button small block" onClick={() => setUserId(entry.userId!)}>
                        Only this user
                      </button>
                    )}
                  </td>
                  <td className="small">{entry.ip ?? '—'}</td>
                  <td className="small detail">
                    {entry.detail == null ? '' : typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore query={audit} />
    </div>
  );
}
