import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../components/Form';
import { SubNav, STAFF_LINKS } from '../../components/SubNav';
import { CameraScanner } from '../../features/checkin/CameraScanner';
import { signal, unlockFeedback } from '../../features/checkin/feedback';
import { loadQueue, MAX_QUEUED, saveQueue, type QueuedScan } from '../../features/checkin/offline-queue';
import { errorMessage, httpStatusOf } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { trpc, type RouterOutputs } from '../../trpc';
import { useSession } from '../../lib/session';

type ScanResult = RouterOutputs['checkin']['scan'];
type Outcome = ScanResult['result'] | 'QUEUED' | 'ERROR';

interface Scan {
  key: string;
  barcode: string;
  result: Outcome;
  reason?: string;
  ticket?: ScanResult['ticket'];
  firstScan?: Extract<ScanResult, { result: 'ALREADY_CHECKED_IN' }>['firstScan'];
  /** Scanned offline and answered later. */
  late?: boolean;
}

const RESULT_TEXT: Record<Outcome, string> = {
  OK: 'Admit',
  ALREADY_CHECKED_IN: 'Already checked in',
  INVALID: 'Not valid',
  QUEUED: 'Saved offline',
  ERROR: 'Could not check',
};
const RESULT_TONE: Record<Outcome, string> = { OK: 'ok', ALREADY_CHECKED_IN: 'warn', INVALID: 'danger', QUEUED: 'warn', ERROR: 'danger' };
const GATE_KEY = 'tessera:checkin-gate';
const RETRY_MS = 10_000;
const timeOfDay = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' });

/** Not an answer from the server (no connection, or it said it is briefly unavailable): keep the scan and send it later. */
function unreachable(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === undefined || status === 503;
}

function firstScanText(first: NonNullable<Scan['firstScan']>): string {
  return `First scanned at ${timeOfDay.format(new Date(first.at))}${first.gate ? ` at ${first.gate}` : ''}${first.by ? ` by ${first.by}` : ''}.`;
}

/** The event at the door by default: the one on now or next (started up to 12 hours ago). */
function currentEvent(events: ReadonlyArray<{ id: string; startsAt: string; status: string }>): string {
  const since = Date.now() - 12 * 3600_000;
  const upcoming = events.filter((e) => e.status !== 'CANCELLED' && Date.parse(e.startsAt) >= since);
  upcoming.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
  return upcoming[0]?.id ?? '';
}

export function CheckinPage() {
  const utils = trpc.useUtils();
  const userId = useSession().user?.id ?? '';
  const events = trpc.events.list.useQuery({ includePast: true, limit: 100 });
  const [chosenEvent, setEventId] = useState<string | null>(null);
  const eventId = chosenEvent ?? currentEvent(events.data?.items ?? []);
  const stats = trpc.checkin.stats.useQuery({ eventId }, { enabled: !!eventId, refetchInterval: 15_000 });
  const [gate, setGate] = useState(() => localStorage.getItem(GATE_KEY) ?? '');
  const [barcode, setBarcode] = useState('');
  const [history, setHistory] = useState<Scan[]>([]);
  const [queue, setQueue] = useState<QueuedScan[]>(loadQueue);
  const [pending, setPending] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const flushing = useRef(false);

  useEffect(() => localStorage.setItem(GATE_KEY, gate), [gate]);

  const record = useCallback((entry: Omit<Scan, 'key'>) => {
    setHistory((old) => [{ key: `${Date.now()}-${Math.random()}`, ...entry }, ...old].slice(0, 50));
    // Answers to scans sent later are for the log, not for the person at the door now.
    if (!entry.late) signal(entry.result === 'OK' ? 'ok' : entry.result === 'QUEUED' ? 'queued' : 'stop');
  }, []);

  const answer = useCallback(
    (result: ScanResult, barcode: string, late = false) => {
      if (result.result !== 'INVALID') utils.checkin.stats.setData({ eventId: result.counts.eventId }, result.counts);
      record({
        barcode,
        result: result.result,
        reason: result.result === 'INVALID' ? result.reason : undefined,
        ticket: result.ticket,
        firstScan: result.result === 'ALREADY_CHECKED_IN' ? result.firstScan : undefined,
        late,
      });
    },
    [record, utils],
  );

  const enqueue = useCallback(
    (scan: QueuedScan) => {
      const current = loadQueue();
      if (current.length >= MAX_QUEUED) {
        record({ barcode: scan.barcode, result: 'ERROR', reason: `${MAX_QUEUED} scans are waiting already: reconnect before scanning more.` });
        return;
      }
      const next = [...current, scan];
      saveQueue(next);
      setQueue(next);
      record({
        barcode: scan.barcode,
        result: 'QUEUED',
        reason: 'No connection. The scan is kept on this device and checked when the connection is back.',
      });
    },
    [record],
  );

  const check = useCallback(
    (code: string) => {
      const scan: QueuedScan = {
        id: crypto.randomUUID(),
        barcode: code,
        ...(eventId ? { eventId } : {}),
        ...(gate.trim() ? { gate: gate.trim() } : {}),
        scannedAt: new Date().toISOString(),
        userId,
      };
      if (!navigator.onLine) return enqueue(scan);
      setPending((n) => n + 1);
      utils.client.checkin.scan
        .mutate({ barcode: code, eventId: scan.eventId, gate: scan.gate })
        .then((result) => answer(result, code))
        .catch((error: unknown) => (unreachable(error) ? enqueue(scan) : record({ barcode: code, result: 'ERROR', reason: errorMessage(error) })))
        .finally(() => setPending((n) => n - 1));
    },
    [answer, enqueue, eventId, gate, record, userId, utils],
  );

  // Queued scans go out one by one, oldest first, when the connection is back (and every few
  // seconds while some wait). The server decides: the first scan to reach it wins.
  const flush = useCallback(async () => {
    if (flushing.current || !navigator.onLine) return;
    flushing.current = true;
    try {
      // Only this account's scans: another staff member's wait until they sign in on this device.
      for (const scan of loadQueue().filter((q) => q.userId === userId)) {
        try {
          const result = await utils.client.checkin.scan.mutate({
            barcode: scan.barcode,
            eventId: scan.eventId,
            gate: scan.gate,
            scannedAt: scan.scannedAt,
          });
          answer(result, scan.barcode, true);
        } catch (error) {
          if (unreachable(error)) break;
          record({ barcode: scan.barcode, result: 'ERROR', reason: errorMessage(error), late: true });
        }
        const rest = loadQueue().filter((q) => q.id !== scan.id);
        saveQueue(rest);
        setQueue(rest);
      }
    } finally {
      flushing.current = false;
    }
  }, [answer, record, userId, utils]);

  const mine = queue.filter((q) => q.userId === userId).length;
  const others = queue.length - mine;
  useEffect(() => {
    const onOnline = () => void flush();
    window.addEventListener('online', onOnline);
    const timer = mine ? setInterval(() => void flush(), RETRY_MS) : undefined;
    if (mine) void flush();
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [flush, mine]);

  // Hand-held scanners type the code and press Enter: the field stays focused for the next one.
  const submit = (e: FormEvent) => {
    e.preventDefault();
    unlockFeedback();
    const code = barcode.trim();
    if (!code) return;
    setBarcode('');
    inputRef.current?.focus();
    check(code);
  };

  // The big answer is for the ticket in front of the door now: scans sent later only go to the log.
  const last = history.find((s) => !s.late);
  const lateConflicts = history.filter((s) => s.late && s.result !== 'OK').length;
  const counts = eventId ? stats.data : undefined;
  return (
    <div className="staff-page">
      <SubNav label="Staff" links={STAFF_LINKS} />
      <div className="page-head">
        <h1>Check-in</h1>
        {counts && (
          <p className="checkin-counter" aria-live="polite">
            <strong>{counts.checkedIn.toLocaleString('en-US')}</strong> of {counts.sold.toLocaleString('en-US')} checked in
          </p>
        )}
      </div>
      {mine > 0 && (
        <p role="status" className="notice">
          {mine === 1 ? '1 scan is' : `${mine.toLocaleString('en-US')} scans are`} waiting for the connection; they are sent automatically.
        </p>
      )}
      {others > 0 && (
        <p className="notice">
          {others === 1 ? '1 scan' : `${others.toLocaleString('en-US')} scans`} made offline on this device by another staff member{' '}
          {others === 1 ? 'waits' : 'wait'} for them to sign in here again.
        </p>
      )}
      {lateConflicts > 0 && (
        <p role="alert" className="notice notice-warn">
          {lateConflicts === 1 ? '1 scan made offline was' : `${lateConflicts} scans made offline were`} refused when sent: see Recent scans.
        </p>
      )}
      <div className="split checkin">
        <section className="card" aria-labelledby="scan-title">
          <h2 id="scan-title">Scan a ticket</h2>
          <div className="form-grid">
            <SelectField label="Event at this door" value={eventId} onChange={(e) => setEventId(e.target.value)}>
              <option value="">Any event</option>
              {(events.data?.items ?? []).map((ev) => (
                <option key={ev.id} value={ev.id}>
                  {ev.name} · {formatDateTime(ev.startsAt, ev.timeZone)}
                </option>
              ))}
            </SelectField>
            <TextField label="Gate (optional)" value={gate} maxLength={40} onChange={(e) => setGate(e.target.value)} placeholder="North door" />
          </div>
          <div onClickCapture={unlockFeedback}>
            <CameraScanner onCode={check} />
          </div>
          <form onSubmit={submit} noValidate>
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
            <button type="submit" className="button button-primary button-block" aria-busy={pending > 0 || undefined}>
              {pending > 0 ? 'Checking…' : 'Check in'}
            </button>
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
          {last?.firstScan && <p className="scan-first">{firstScanText(last.firstScan)}</p>}
          {last?.reason && <p>{last.reason}</p>}
          {last && <code className="small">{last.barcode}</code>}
        </section>
      </div>
      {history.some((s) => s !== last) && (
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Recent scans</h2>
          <ul className="scan-history">
            {history
              .filter((s) => s !== last)
              .map((s) => (
                <li key={s.key}>
                  <span className={`badge badge-${RESULT_TONE[s.result]}`}>{RESULT_TEXT[s.result]}</span>{' '}
                  {s.late && <span className="small">(sent later) </span>}
                  <code>{s.barcode}</code> {s.ticket && `· Row ${s.ticket.row} seat ${s.ticket.number}`}
                  {s.firstScan && <span className="small"> · {firstScanText(s.firstScan)}</span>}
                </li>
              ))}
          </ul>
        </section>
      )}
    </div>
  );
}
