import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormError, SelectField, TextField } from '../../components/Form';
import { LoadError, LoadMore, Loading } from '../../components/QueryStatus';
import { ADMIN_LINKS, SubNav } from '../../components/SubNav';
import { downloadFile } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { useDebounced } from '../../lib/useDebounced';
import { trpc } from '../../trpc';
import { AUDIT_ACTIONS, type SentencePart } from '../../../../shared/audit';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight at the start of a picked day (YYYY-MM-DD) in this browser's time zone, as ISO; `days` later for an end. */
function startOfDay(day: string, days = 0): string | undefined {
  if (!DATE.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days).toISOString();
}

/** One part of a sentence: people link to their account in the user list, events to their page. */
function Part({ part }: { part: SentencePart }) {
  if (typeof part === 'string') return <>{part}</>;
  if (part.kind === 'user') return <Link to={`/admin/users?q=${encodeURIComponent(part.text)}`}>{part.text}</Link>;
  if (part.kind === 'event') return <Link to={`/events/${part.id}`}>{part.text}</Link>;
  return <code>{part.text}</code>;
}

/**
 * The audit log as sentences ("Dana approved Stan as staff"), newest first, filtered by the email
 * of the account or of who acted, by action and by days (this browser's days), with the filtered
 * log as CSV. The filters live in the URL, so a filtered view can be shared or reloaded.
 */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const [email, setEmail] = useState(params.get('email') ?? '');
  const type = params.get('type') ?? '';
  const fromDay = params.get('from') ?? '';
  const toDay = params.get('to') ?? '';
  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  const emailFilter = useDebounced(email.trim(), 300);
  const rangeWrong = fromDay !== '' && toDay !== '' && toDay < fromDay;
  const filters = {
    email: emailFilter || undefined,
    type: type || undefined,
    from: startOfDay(fromDay),
    to: rangeWrong ? undefined : startOfDay(toDay, 1),
  };
  const audit = trpc.admin.audit.list.useInfiniteQuery({ ...filters, limit: 50 }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const [downloading, setDownloading] = useState(false);
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const download = async () => {
    setDownloading(true);
    setDownloadError(null);
    const query = new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string'));
    try {
      await downloadFile(`/api/admin/audit.csv?${query.toString()}`);
    } catch (error) {
      setDownloadError(error instanceof Error ? error.message : 'The download failed. Please try again.');
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="admin-page">
      <SubNav label="Admin" links={ADMIN_LINKS} />
      <h1>Audit log</h1>
      <div className="filters">
        <TextField
          label="Email (whole or part)"
          type="search"
          value={email}
          onChange={(e) => {
            setEmail(e.target.value);
            set('email', e.target.value.trim());
          }}
        />
        <SelectField label="Action" value={type} onChange={(e) => set('type', e.target.value)}>
          <option value="">All actions</option>
          {Object.entries(AUDIT_ACTIONS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField label="From" type="date" value={fromDay} max={toDay || undefined} onChange={(e) => set('from', e.target.value)} />
        <TextField
          label="To"
          type="date"
          value={toDay}
          min={fromDay || undefined}
          onChange={(e) => set('to', e.target.value)}
          errors={rangeWrong ? ['The end is before the start.'] : undefined}
        />
        <div className="field filters-action">
          <button type="button" className="button button-secondary" onClick={() => void download()} disabled={downloading}>
            {downloading ? 'Preparing CSV…' : 'Download CSV'}
          </button>
        </div>
      </div>
      {downloadError && <FormError>{downloadError}</FormError>}
      {audit.isPending ? (
        <Loading />
      ) : audit.isError ? (
        <LoadError error={audit.error} />
      ) : items.length === 0 ? (
        <p className="muted">Nothing recorded {emailFilter || type || fromDay || toDay ? 'that matches these filters' : 'yet'}.</p>
      ) : (
        <div className="table-wrap card flush">
          <table className="table">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What happened</th>
                <th scope="col">Action</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id}>
                  <td className="nowrap">{formatDateTime(entry.createdAt)}</td>
                  <td className="audit-sentence">
                    {entry.sentence.map((part, i) => (
                      <Part key={i} part={part} />
                    ))}
                  </td>
                  <td>
                    <span className={`badge ${/fail|reuse|locked|throttled/.test(entry.type) ? 'badge-danger' : 'badge-neutral'}`}>
                      {AUDIT_ACTIONS[entry.type as keyof typeof AUDIT_ACTIONS] ?? entry.type.replace(/_/g, ' ')}
                    </span>
                  </td>
                  <td className="small">{entry.ip ?? '—'}</td>
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
