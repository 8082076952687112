import { useRef, useState, type FormEvent } from 'react';
import { PendingButton, SelectField, TextField } from '../../components/Form';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import type { EventSummary, IssuedTicket } from '../../lib/api-types';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useLock } from '../../lib/useLock';
import { trpc } from '../../trpc';

interface Scan {
  at: number;
  barcode: string;
  result: 'OK' | 'ALREADY_CHECKED_IN' | 'INVALID' | 'ERROR';
  reason?: string;
  ticket?: IssuedTicket;
}

const RESULT_TEXT = {
  OK: 'Admit',
  ALREADY_CHECKED_IN: 'Already checked in',
  INVALID: 'Not valid',
  ERROR: 'Could not check',
} as const;

export function CheckinPage() {
  const scan = trpc.checkin.scan.useMutation();
  const events = trpc.events.list.useQuery({ includePast: true, limit: 100 });
  const lock = useLock();
  const [eventId, setEventId] = useState('');
  const [barcode, setBarcode] = useState('');
  const [history, setHistory] = useState<Scan[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);

  // Hand-held scanners type the code and press Enter: the field stays focused for the next one.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = barcode.trim();
    if (!code) return;
    void lock.run(async () => {
      let entry: Scan;
      try {
        const result = await scan.mutateAsync({ barcode: code, ...(eventId ? { eventId } : {}) });
        entry = { at: Date.now(), barcode: code, result: result.result, reason: 'reason' in result ? result.reason : undefined, ticket: result.ticket as IssuedTicket | undefined };
      } catch (error) {
        entry = { at: Date.now(), barcode: code, result: 'ERROR', reason: errorMessage(error) };
      }
      setHistory((old) => [entry, ...old].slice(0, 25));
      setBarcode('');
      inputRef.current?.focus();
    });
  };

  const last = history[0];
  return (
    <div className="staff-page">
      <SubNav label="Staff" links={STAFF_LINKS} />
      <h1>Check-in</h1>
      <div className="split checkin">
        <section className="card" aria-labelledby="scan-title">
          <h2 id="scan-title">Scan a ticket</h2>
          <form onSubmit={submit} noValidate>
            <SelectField label="Event at this door" value={eventId} onChange={(e) => setEventId(e.target.value)}>
              <option value="">Any event</option>
              {((events.data?.items ?? []) as EventSummary[]).map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {ev.name} · {formatDateTime(ev.startsAt)}
                </option>
              ))}
            </SelectField>
            <TextField
              ref={inputRef}
              label="Barcode"
              value={barcode}
              onChange={(e) => setBarcode(e.target.value)}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              hint="Scan with a barcode reader, or type the code under the QR code."
            />
            <PendingButton pending={lock.locked} pendingLabel="Checking…" className="button-block">
              Check in
            </PendingButton>
          </form>
        </section>
        <section aria-live="assertive" aria-labelledby="result-title" className={`card scan-result ${last ? `scan-${last.result.toLowerCase()}` : ''}`}>
          <h2 id="result-title">{last ? RESULT_TEXT[last.result] : 'Waiting for a scan'}</h2>
          {last?.ticket && (
            <p className="scan-ticket">
              <strong>{last.ticket.eventName}</strong>
              <br />
              Row {last.ticket.row} · Seat {last.ticket.number} · {last.ticket.tierName}
            </p>
          )}
          {last?.reason && <p>{last.reason}</p>}
          {last && <code className="small">{last.barcode}</code>}
        </section>
      </div>
      {history.length > 1 && (
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Recent scans</h2>
          <ul className="scan-history">
            {history.slice(1).map((s) => (
              <li key={s.at}>
                <span className={`badge badge-${s.result === 'OK' ? 'ok' : s.result === 'ALREADY_CHECKED_IN' ? 'warn' : 'danger'}`}>{RESULT_TEXT[s.result]}</span>{' '}
                <code>{s.barcode}</code> {s.ticket && `· Row ${s.ticket.row} seat ${s.ticket.number}`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
