import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useCancelEvent, useCreateEvent, useUpdateEvent } from '../events/api';
import { fromLocalInput, toLocalInput } from '../../lib/datetime';
import type { RouterOutputs } from '../../trpc';

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
  const [startsAt, setStartsAt] = useState(toLocalInput(event?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(event?.endsAt));
  const [imageUrl, setImageUrl] = useState(event?.imageUrl ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const [status, setStatus] = useState<EditableStatus>(event?.status === 'ON_SALE' ? 'ON_SALE' : 'DRAFT');
  const [confirmCancel, setConfirmCancel] = useState(false);
  const cancelled = event?.status === 'CANCELLED';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = {
      name,
      venue,
      description,
      startsAt: fromLocalInput(startsAt),
      endsAt: fromLocalInput(endsAt) ?? null,
      imageUrl: imageUrl.trim() || null,
      status,
    };
    const onSuccess = (saved: { id: string }) => {
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

  const fields = form.fieldErrors;
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
        <TextField
          label="Starts"
          type="datetime-local"
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          errors={fields.startsAt}
          disabled={cancelled}
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
            <PendingButton pending={form.pending} pendingLabel="Saving…" disabled={busy}>
              {event ? 'Save changes' : 'Create event'}
            </PendingButton>
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
