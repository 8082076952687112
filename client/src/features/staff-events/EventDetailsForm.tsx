import { useMemo, useState, type FormEvent } from 'react';
import { FormError, PendingButton, SaveButton, SelectField, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useCancelEvent, useCreateEvent, useUpdateEvent } from '../events/api';
import { fromLocalInput, timeZones, toLocalInput, viewerTimeZone, zoneLabel } from '../../lib/datetime';
import type { FieldErrors } from '../../lib/errors';
import { useBaseline } from '../../lib/useBaseline';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import type { RouterOutputs } from '../../trpc';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../../shared/orders';

const METHOD_LABELS: Record<PaymentMethod, string> = {
  instant: 'Paid at once when ordering',
  box_office: 'Pay later at the box office',
  bank_transfer: 'Pay later by bank transfer',
};

type EventSummary = RouterOutputs['events']['list']['items'][number];
type EditableStatus = 'DRAFT' | 'ON_SALE';

interface Props {
  event?: EventSummary;
  onSaved?: (event: { id: string }) => void;
}

export function EventDetailsForm({ event, onSaved }: Props) {
  const toast = useToast();
  const create = useCreateEvent();
  const update = useUpdateEvent();
  const cancel = useCancelEvent();
  const form = event ? update : create;
  const busy = form.pending || cancel.pending;
  const [name, setName] = useState(event?.name ?? '');
  const [venue, setVenue] = useState(event?.venue ?? '');
  const [timeZone, setTimeZone] = useState(event?.timeZone ?? viewerTimeZone());
  const [startsAt, setStartsAt] = useState(toLocalInput(event?.startsAt, event?.timeZone));
  const [endsAt, setEndsAt] = useState(toLocalInput(event?.endsAt, event?.timeZone));
  const [imageUrl, setImageUrl] = useState(event?.imageUrl ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const [status, setStatus] = useState<EditableStatus>(event?.status === 'ON_SALE' ? 'ON_SALE' : 'DRAFT');
  const [paymentMethods, setPaymentMethods] = useState<PaymentMethod[]>(event?.paymentMethods ?? ['instant']);
  const [payLaterDays, setPayLaterDays] = useState(String(event?.payLaterDays ?? 3));
  const [transfersAllowed, setTransfersAllowed] = useState(event?.transfersAllowed ?? true);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const cancelled = event?.status === 'CANCELLED';
  const zones = useMemo(() => timeZones(timeZone), [timeZone]);
  const current = { name, venue, timeZone, startsAt, endsAt, imageUrl, description, status, paymentMethods, payLaterDays, transfersAllowed };
  const baseline = useBaseline(current);
  const unsaved = useUnsavedChanges(event ? 'Details' : 'New event', baseline.dirty && !cancelled);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      name,
      venue,
      description,
      startsAt: fromLocalInput(startsAt, timeZone),
      endsAt: fromLocalInput(endsAt, timeZone) ?? null,
      imageUrl: imageUrl.trim() || null,
      timeZone,
      status,
      // In the order the API lists them, whatever order they were ticked in.
      paymentMethods: PAYMENT_METHODS.filter((m) => paymentMethods.includes(m)),
      // Days to pay matter only when paying later is offered (and are kept as they were otherwise).
      ...(paymentMethods.some((m) => m !== 'instant') ? { payLaterDays: Number(payLaterDays) } : {}),
      transfersAllowed,
    };
    // Checked here first, in the words of the form (the API's own messages are for scripts).
    const problems = checkDetails(values, { startsAt, endsAt });
    setLocal(problems);
    if (problems) return;
    const onSuccess = (saved: { id: string }) => {
      baseline.rebase(current);
      unsaved.saved();
      toast.success(event ? 'Event saved.' : 'Event created. Now set its prices and seats.');
      onSaved?.(saved);
    };
    if (event) update.run({ id: event.id, ...values }, { onSuccess });
    else create.run(values, { onSuccess });
  };

  const doCancel = () => {
    if (!event) return;
    cancel.run(
      { id: event.id },
      {
        onSuccess: () => {
          toast.success('The event is cancelled. No more tickets will be sold.');
          setConfirmCancel(false);
        },
      },
    );
  };

  const fields = local ?? form.fieldErrors;
  return (
    <>
      <form onSubmit={submit} noValidate className="form-grid">
        <FormError>{form.formError}</FormError>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} disabled={cancelled} className="span-2" />
        <TextField
          label="Venue"
          value={venue}
          onChange={(e) => setVenue(e.target.value)}
          errors={fields.venue}
          disabled={cancelled}
          className="span-2"
        />
        <SelectField
          label="Venue time zone"
          value={timeZone}
          onChange={(e) => setTimeZone(e.target.value)}
          errors={fields.timeZone}
          disabled={cancelled}
          className="span-2"
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')} ({zoneLabel(zone)})
            </option>
          ))}
        </SelectField>
        <TextField
          label="Starts"
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          errors={fields.startsAt}
          disabled={cancelled}
          hint={`Venue time (${timeZone.replaceAll('_', ' ')})`}
        />
        <TextField
          label="Ends (optional)"
          type="datetime-local"
          value={endsAt}
          onChange={(e) => setEndsAt(e.target.value)}
          errors={fields.endsAt}
          disabled={cancelled}
        />
        <TextField
          label="Image address (optional)"
          type="url"
          placeholder="https://…"
          value={imageUrl}
          onChange={(e) => setImageUrl(e.target.value)}
          errors={fields.imageUrl}
          disabled={cancelled}
          className="span-2"
        />
        <div className="field span-2">
          <label htmlFor="event-description">Description</label>
          <textarea
            id="event-description"
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            disabled={cancelled}
            aria-invalid={!!fields.description || undefined}
          />
          {fields.description && <p className="field-error">{fields.description.join(' ')}</p>}
        </div>
        <fieldset className="span-2 payment-methods" aria-describedby={fields.paymentMethods ? 'payment-methods-error' : undefined}>
          <legend>Ways to pay</legend>
          {PAYMENT_METHODS.map((m) => (
            <div key={m} className="checkbox-field">
              <input
                id={`method-${m}`}
                type="checkbox"
                checked={paymentMethods.includes(m)}
                disabled={cancelled}
                onChange={(e) => setPaymentMethods((now) => (e.target.checked ? [...now, m] : now.filter((x) => x !== m)))}
              />
              <label htmlFor={`method-${m}`}>{METHOD_LABELS[m]}</label>
            </div>
          ))}
          {fields.paymentMethods && (
            <p id="payment-methods-error" className="field-error">
              {fields.paymentMethods.join(' ')}
            </p>
          )}
        </fieldset>
        {paymentMethods.some((m) => m !== 'instant') && (
          <TextField
            label="Days to pay"
            type="number"
            inputMode="numeric"
            min={1}
            max={60}
            value={payLaterDays}
            onChange={(e) => setPayLaterDays(e.target.value)}
            errors={fields.payLaterDays}
            disabled={cancelled}
            hint="An order paid later lapses after this many days (and never after the event starts), and its seats go back on sale."
          />
        )}
        <div className="checkbox-field span-2">
          <input
            id="transfers-allowed"
            type="checkbox"
            checked={transfersAllowed}
            disabled={cancelled}
            onChange={(e) => setTransfersAllowed(e.target.checked)}
          />
          <label htmlFor="transfers-allowed">
            Ticket holders may pass tickets on to someone else
            <span className="muted small block">
              They send a ticket to an email address; once claimed, it gets a new barcode and the old one stops working.
            </span>
          </label>
        </div>
        {!cancelled && (
          <SelectField
            label="Status"
            value={status}
            onChange={(e) => setStatus(e.target.value === 'ON_SALE' ? 'ON_SALE' : 'DRAFT')}
            errors={fields.status}
          >
            <option value="DRAFT">Draft (only staff see it)</option>
            <option value="ON_SALE">On sale</option>
          </SelectField>
        )}
        {!cancelled && (
          <div className="span-2">
            <SaveButton pending={form.pending} dirty={baseline.dirty || !event} saved={form.status === 'success'} disabled={busy}>
              {event ? 'Save changes' : 'Create event'}
            </SaveButton>
            {event && baseline.dirty && <span className="small muted unsaved-note">Unsaved changes</span>}
          </div>
        )}
      </form>
      {event && !cancelled && (
        <div className="danger-zone">
          <h3>Cancel this event</h3>
          <p className="small muted">Stops all sales for good. Existing orders stay, and can be refunded from Orders.</p>
          {confirmCancel ? (
            <div className="confirm" role="group" aria-label="Confirm cancelling the event">
              <PendingButton type="button" variant="danger" pending={cancel.pending} pendingLabel="Cancelling…" onClick={doCancel} disabled={busy}>
                Yes, cancel {event.name}
              </PendingButton>
              <button type="button" className="button button-ghost" onClick={() => setConfirmCancel(false)}>
                Keep it
              </button>
            </div>
          ) : (
            <button type="button" className="button button-danger-outline" onClick={() => setConfirmCancel(true)}>
              Cancel event
            </button>
          )}
        </div>
      )}
    </>
  );
}

/** The form's own checks, with messages for people; null when the API may be asked. */
function checkDetails(
  values: {
    name: string;
    venue: string;
    startsAt: string | undefined;
    endsAt: string | null;
    imageUrl: string | null;
    paymentMethods: PaymentMethod[];
    payLaterDays?: number;
  },
  typed: { startsAt: string; endsAt: string },
): FieldErrors | null {
  const errors: FieldErrors = {};
  if (!values.name.trim()) errors.name = ['Give the event a name.'];
  if (!values.venue.trim()) errors.venue = ['Say where it takes place.'];
  if (!values.startsAt) errors.startsAt = [typed.startsAt ? 'Pick a complete date and time.' : 'Pick the date and time it starts.'];
  if (typed.endsAt && !values.endsAt) errors.endsAt = ['Pick a complete date and time, or leave it empty.'];
  else if (values.startsAt && values.endsAt && Date.parse(values.endsAt) <= Date.parse(values.startsAt))
    errors.endsAt = ['The end must be after the start.'];
  if (values.paymentMethods.length === 0) errors.paymentMethods = ['Tick at least one way to pay.'];
  const days = values.payLaterDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 60)) errors.payLaterDays = ['Give a whole number of days from 1 to 60.'];
  if (values.imageUrl && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(values.imageUrl)) errors.imageUrl = ['Enter a web address starting with https://'];
  return Object.keys(errors).length ? errors : null;
}
