import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import type { RouterOutputs } from '../../trpc';
import { useCancelTransfer, useTransferTicket } from './api';

type IssuedTicket = RouterOutputs['tickets']['mine'][number];
type TransferState = NonNullable<IssuedTicket['transfer']>;

/**
 * Sends a ticket to someone's address: they get a mail with a link to claim it. Until they do, the
 * ticket stays the sender's and keeps working; sending again replaces the link sent before.
 */
export function SendTicketForm({
  id,
  ticket,
  initialEmail,
  onClose,
}: {
  id: string;
  ticket: IssuedTicket;
  initialEmail: string;
  onClose: () => void;
}) {
  const send = useTransferTicket();
  const toast = useToast();
  const [email, setEmail] = useState(initialEmail);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    send.run(
      { barcode: ticket.barcode, email },
      {
        onSuccess: ({ transfer, mailed }) => {
          if (mailed) toast.success(`Sent to ${transfer.email}. The ticket stays yours until they claim it.`);
          else
            toast.error(
              `The ticket is waiting for ${transfer.email}, but the mail with its link could not be sent just now. Send it again to retry.`,
            );
          onClose();
        },
      },
    );
  };

  return (
    <form
      id={id}
      className="send-ticket no-print"
      onSubmit={submit}
      noValidate
      aria-label={`Send row ${ticket.row} seat ${ticket.number} to someone`}
    >
      <FormError>{send.formError ?? send.fieldErrors.barcode?.join(' ')}</FormError>
      <TextField
        label="Their email"
        name="email"
        type="email"
        autoComplete="off"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
        autoFocus
        errors={send.fieldErrors.email}
        hint="We mail them a link to claim it. Until they do, the ticket stays yours and keeps working."
      />
      <div className="button-row">
        <PendingButton pending={send.pending} pendingLabel="Sending…" className="button-small">
          Send ticket
        </PendingButton>
        <button type="button" className="button button-ghost button-small" onClick={onClose} disabled={send.pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A ticket sent and not claimed yet: to whom, until when the link works, and taking it back. */
export function PendingTransfer({ transfer, seat }: { transfer: TransferState; seat: { row: string; number: number } }) {
  const cancel = useCancelTransfer();
  const toast = useToast();
  const takeBack = () =>
    cancel.run({ id: transfer.id }, { onSuccess: () => toast.success(`Taken back: the link sent to ${transfer.email} no longer works.`) });
  return (
    <div className="notice notice-info ticket-transfer no-print">
      <p>
        Sent to <strong className="ticket-email">{transfer.email}</strong> — waiting for them to claim it (until {formatDateTime(transfer.until)}).
      </p>
      <PendingButton
        type="button"
        variant="secondary"
        className="button-small"
        pending={cancel.pending}
        pendingLabel="Taking back…"
        onClick={takeBack}
      >
        Take back
        <span className="visually-hidden">
          {' '}
          row {seat.row} seat {seat.number}
        </span>
      </PendingButton>
    </div>
  );
}
