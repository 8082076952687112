import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { EventSummary } from '../../lib/api-types';
import { fromLocalInput, toLocalInput } from '../../lib/datetime';
import { errorMessage } from '../../lib/errors';
import { useFormSubmit } from '../../lib/useFormSubmit';
import { trpc } from '../../trpc';
import { createEventInput, updateEventInput } from '../../../../shared/events';

interface Props {
  event?: EventSummary;
  onSaved?: (event: { id: string }) => void;
}

export function EventDetailsForm({ event, onSaved }: Props) {
  const toast = useToast();
  const utils = trpc.useUtils();
  const create = trpc.events.create.useMutation();
  const update = trpc.events.update.useMutation();
  const cancel = trpc.events.cancel.useMutation();
  const form = useFormSubmit(event ? update : create);
  const { lock } = form;
  const [name, setName] = useState(event?.name ?? '');
  const [venue, setVenue] = useState(event?.venue ?? '');
  const [startsAt, setStartsAt] = useState(toLocalInput(event?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(event?.endsAt));
  const [imageUrl, setImageUrl] = useState(event?.imageUrl ?? '');
  const [description, setDescription] = useState(event?.description ?? '');
  const [status, setStatus] = useState<'DRAFT' | 'ON_SALE'>(event?.status === 'ON_SALE' ? 'ON_SALE' : 'DRAFT');
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
    const afterSave = async (saved: { id: string }) => {
      await utils.events.invalidate();
      toast.success(event ? 'Event saved.' : 'Event created. Now set its prices and seats.');
      onSaved?.(saved);
    };
    if (event) form.submit(updateEventInput, { id: event.id, ...values }, async (data) => afterSave(await update.mutateAsync(data)));
    else form.submit(createEventInput, values, async (data) => afterSave(await create.mutateAsync(data)));
  };

  const doCancel = () =>
    lock.run(async () => {
      if (!event) return;
      try {
        await cancel.mutateAsync({ id: event.id });
        await utils.events.invalidate();
        toast.success('The event is cancelled. No more tickets will be sold.');
        setConfirmCancel(false);
      } catch (error) {
        toast.error(errorMessage(error));
      }
    });

  const fields = form.fieldErrors;
  return (
    <>
      <form onSubmit={submit} noValidate className="form-grid">
        <FormError>{form.formError}</FormError>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} disabled={cancelled} className="span-2" />
        <TextField label="Venue" value={venue} onChange={(e) => setVenue(e.target.value)} errors={fields.venue} disabled={cancelled} className="span-2" />
        <TextField label="Starts" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} errors={fields.startsAt} disabled={cancelled} />
        <TextField label="Ends (optional)" type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} errors={fields.endsAt} disabled={cancelled} />
        <TextField label="Image address (optional)" type="url" placeholder="https://…" value={imageUrl} onChange={(e) => setImageUrl(e.target.value)} errors={fields.imageUrl} disabled={cancelled} className="span-2" />
        <div className="field span-2">
          <label htmlFor="event-description">Description</label>
          <textarea id="event-description" rows={4} value={description} onChange={(e) => setDescription(e.target.value)} disabled={cancelled} aria-invalid={!!fields.description || undefined} />
          {fields.description && <p className="field-error">{fields.description.join(' ')}</p>}
        </div>
        {!cancelled && (
          <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as 'DRAFT' | 'ON_SALE')} errors={fields.status}>
            <option value="DRAFT">Draft (only staff see it)</option>
            <option value="ON_SALE">On sale</option>
          </SelectField>
        )}
        {!cancelled && (
          <div className="span-2">
            <PendingButton pending={lock.locked && !confirmCancel} pendingLabel="Saving…" disabled={lock.locked}>
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
              <PendingButton type="button" variant="danger" pending={lock.locked} pendingLabel="Cancelling…" onClick={doCancel}>
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
