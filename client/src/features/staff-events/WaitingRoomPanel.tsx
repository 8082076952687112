import { useState, type FormEvent } from 'react';
import { MAX_RATE_PER_MINUTE, PASS_MINUTES, PASS_USE_MINUTES, type QueueSettings } from '../../../../shared/queue';
import { FormError, PendingButton, SaveButton, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { useToast } from '../../components/Toasts';
import { fromLocalInput, toLocalInput } from '../../lib/datetime';
import { errorMessage, reasonOf, type FieldErrors } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { useBaseline } from '../../lib/useBaseline';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import { trpc, type RouterOutputs } from '../../trpc';
import { useConfigureQueue, useOpenDoors } from '../queue/api';

type Event = RouterOutputs['events']['byId'];

/** How often the numbers are read again while the panel is open (the server's stats are cheap). */
const STATS_EVERY_MS = 2000;

/**
 * The event's virtual waiting room for staff (shared/queue.ts): switch it on with a start and an
 * admission rate, change the rate while it runs, open the doors, and watch the line live.
 */
export function WaitingRoomPanel({ event }: { event: Event }) {
  const settings = trpc.queue.settings.useQuery({ eventId: event.id });
  if (settings.isPending) return <Loading>Loading the waiting room…</Loading>;
  if (settings.isError) return <LoadError error={settings.error} />;
  const room = settings.data;
  return (
    <div className="stack waiting-room-panel">
      <p className="small muted">
        For a busy on-sale: shoppers join a queue and are let in to the seat map a few at a time, at the rate set here. Once in, each has{' '}
        {PASS_USE_MINUTES} minutes to hold seats and {PASS_MINUTES} minutes to buy them; staff skip the queue.
      </p>
      {room && <RoomStats event={event} />}
      {/* Once switched on, the form starts again from what was saved. */}
      <RoomForm key={room ? 'on' : 'off'} event={event} room={room} />
      {room && <Doors event={event} open={room.doorsOpen} />}
    </div>
  );
}

function RoomStats({ event }: { event: Event }) {
  const stats = trpc.queue.stats.useQuery({ eventId: event.id }, { refetchInterval: STATS_EVERY_MS });
  return (
    <section aria-labelledby="queue-stats-title">
      <h3 id="queue-stats-title">Now</h3>
      {stats.isPending ? (
        <Loading>Loading the numbers…</Loading>
      ) : stats.isError ? (
        <LoadError error={stats.error} />
      ) : (
        <>
          <p className="small muted">
            {stats.data.doorsOpen
              ? 'The doors are open: nobody needs a pass.'
              : // As of the reading shown (read every two seconds), not of the render.
                `Admission ${Date.parse(stats.data.startsAt) <= stats.dataUpdatedAt ? 'started' : 'starts'} ${formatDateTime(stats.data.startsAt, event.timeZone)}.`}{' '}
            Updated every {STATS_EVERY_MS / 1000} seconds.
          </p>
          {/* Not a live region: numbers read out every two seconds would drown everything else. */}
          <dl className="stats queue-stats">
            <Stat label="Waiting" value={stats.data.waiting} />
            <Stat label="Admitted" value={stats.data.admitted} />
            <Stat label="Shopping" value={stats.data.shopping} />
            <Stat label="Done" value={stats.data.done} />
            <Stat label="Lapsed" value={stats.data.lapsed} />
            <Stat label="Admitted last minute" value={stats.data.admittedLastMinute} />
            <Stat label="Sold" value={stats.data.sold} />
            <Stat label="Rate a minute" value={stats.data.ratePerMinute} />
          </dl>
        </>
      )}
    </section>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="card stat">
      <dt>{label}</dt>
      <dd>{value.toLocaleString('en-US')}</dd>
    </div>
  );
}

/** The form's own checks, in its words; the API's rules (shared/queue.ts) then check the rest before anything is sent. */
function checkRoom(typed: { startsAt: string; rate: string }, startsAt: string | undefined): FieldErrors | null {
  const errors: FieldErrors = {};
  if (!startsAt) errors.startsAt = [typed.startsAt ? 'Pick a complete date and time.' : 'Pick the date and time admission starts.'];
  if (!/^\d+$/.test(typed.rate.trim())) errors.ratePerMinute = ['Enter a whole number of shoppers, such as 60.'];
  return Object.keys(errors).length ? errors : null;
}

function RoomForm({ event, room }: { event: Event; room: QueueSettings | null }) {
  const toast = useToast();
  const configure = useConfigureQueue();
  const [startsAt, setStartsAt] = useState(toLocalInput(room?.startsAt, event.timeZone));
  const [rate, setRate] = useState(room ? String(room.ratePerMinute) : '');
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const current = { startsAt, rate };
  const baseline = useBaseline(current);
  const unsaved = useUnsavedChanges('Waiting room', baseline.dirty);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const start = fromLocalInput(startsAt, event.timeZone);
    const problems = checkRoom(current, start);
    setLocal(problems);
    if (problems) return;
    // Rate 0, a fraction or too many are refused here with the API's own messages (useFormAction), and nothing is sent.
    configure.run(
      { eventId: event.id, startsAt: start, ratePerMinute: Number(rate.trim()) },
      {
        onSuccess: () => {
          baseline.rebase(current);
          unsaved.saved();
          toast.success(room ? 'Waiting room saved.' : 'The waiting room is on: shoppers now queue for a pass.');
        },
      },
    );
  };

  // Once admission began the start cannot move: said beside the start, not above the form.
  const started = reasonOf(configure.error) === 'QUEUE_STARTED' ? [errorMessage(configure.error)] : undefined;
  const fields = local ?? configure.fieldErrors;
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-labelledby="queue-form-title">
      <h3 id="queue-form-title" className="span-2">
        {room ? 'Settings' : 'Switch the waiting room on'}
      </h3>
      <FormError>{started ? null : configure.formError}</FormError>
      <TextField
        label="Admission starts"
        type="datetime-local"
        value={startsAt}
        onChange={(e) => setStartsAt(e.target.value)}
        errors={fields.startsAt ?? started}
        hint={`Venue time (${event.timeZone.replaceAll('_', ' ')}). Those who join before it are let in in an order drawn at random; later ones in turn.`}
      />
      <TextField
        label="Shoppers let in per minute"
        type="number"
        inputMode="numeric"
        min={1}
        max={MAX_RATE_PER_MINUTE}
        step={1}
        value={rate}
        onChange={(e) => setRate(e.target.value)}
        errors={fields.ratePerMinute}
        hint="Can be changed while the queue runs."
      />
      {room?.doorsOpen && (
        <p className="small muted span-2">The doors are open. Saving closes them again: shoppers then queue for a pass once more.</p>
      )}
      <div className="span-2">
        <SaveButton pending={configure.pending} dirty={baseline.dirty || !room} saved={configure.status === 'success'}>
          {room ? 'Save waiting room' : 'Switch the waiting room on'}
        </SaveButton>
        {room && baseline.dirty && <span className="small muted unsaved-note">Unsaved changes</span>}
      </div>
    </form>
  );
}

function Doors({ event, open }: { event: Event; open: boolean }) {
  const toast = useToast();
  const openDoors = useOpenDoors();
  if (open) return <p className="notice notice-ok">The doors are open: shoppers pick seats and buy without queueing.</p>;
  return (
    <section aria-labelledby="queue-doors-title">
      <h3 id="queue-doors-title">Open the doors</h3>
      <p className="small muted">
        Ends the queue: everyone, waiting or not, can pick seats and buy at once. Saving the settings closes the doors again.
      </p>
      <PendingButton
        type="button"
        variant="secondary"
        pending={openDoors.pending}
        pendingLabel="Opening…"
        onClick={() => openDoors.run({ eventId: event.id }, { onSuccess: () => toast.success('The doors are open: nobody needs a pass now.') })}
      >
        Open the doors
      </PendingButton>
    </section>
  );
}
