import { useRef, useState, type FormEvent } from 'react';
import { PendingButton, SelectField, TextField } from '../../components/Form';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { useScanTicket } from '../../features/checkin/api';
import { errorMessage } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { trpc, type RouterOutputs } from '../../trpc';

type ScanResult = RouterOutputs['checkin']['scan'];

interface Scan {
  at: number;
  barcode: string;
  result: ScanResult['result'] | 'ERROR';
  reason?: string;
  ticket?: ScanResult['ticket'];
}

const RESULT_TEXT = {
  OK: 'Admit',
  ALREADY_CHECKED_IN: 'Already checked in',
  INVALID: 'Not valid',
  ERROR: 'Could not check',
} as const;

export function CheckinPage() {
  const scan = useScanTicket();
  const events = trpc.events.list.useQuery({ includePast: true, limit: 100 });
  const [eventId, setEventId] = useState('');
  const [barcode, setBarcode] = useState('');
  const [history, setHistory] = useState<Scan[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);

  // Hand-held scanners type the code and press Enter: the field stays focused for the next one.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = barcode.trim();
    if (!code) return;
    const record = (entry: Omit<Scan, 'at' | 'barcode'>) => {
      setHistory((old) => [{ at: Date.now(), barcode: code, ...entry }, ...old].slice(0, 25));
      setBarcode('');
      inputRef.current?.focus();
    };
    // A failed check is a result at the door like any other: it goes into the history, not a toast.
    scan.run(
      { barcode: code, ...(eventId ? { eventId } : {}) },
      {
        onSuccess: (result) => record({ result: result.result, reason: 'reason' in result ? result.reason : undefined, ticket: result.ticket }),
        onError: (error) => record({ result: 'ERROR', reason: errorMessage(error) }),
      },
    );
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
              {(events.data?.items ?? []).map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {ev.name} · {formatDateTime(ev.startsAt, ev.timeZone)}
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
            <PendingButton pending={scan.pending} pendingLabel="Checking…" className="button-block">
              Check in
            </PendingButton>
          </form>
        </section>
        <section
          aria-live="assertive"
          aria-labelledby="result-title"
          className={`card scan-result ${last ? `scan-${last.result.toLowerCase()}` : ''}`}
        >
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
                <span className={`badge badge-${s.result === 'OK' ? 'ok' : s.result === 'ALREADY_CHECKED_IN' ? 'warn' : 'danger'}`}>
                  {RESULT_TEXT[s.result]}
                </span>{' '}
                <code>{s.barcode}</code> {s.ticket && `· Row ${s.ticket.row} seat ${s.ticket.number}`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
