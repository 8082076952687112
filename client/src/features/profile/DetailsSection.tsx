import { useState, type FormEvent } from 'react';
import { EmailField, FormError, PasswordField, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import type { User } from '../../lib/session';
import { useRequestEmailVerification, useUpdateProfile } from './api';

export function DetailsSection({ user }: { user: User }) {
  const toast = useToast();
  const update = useUpdateProfile();
  const [name, setName] = useState(user.name);
  const [email, setEmail] = useState(user.email);
  const [currentPassword, setCurrentPassword] = useState('');
  const [phone, setPhone] = useState(user.phone ?? '');
  const emailChanging = email.trim().toLowerCase() !== user.email;

  const save = (event: FormEvent) => {
    event.preventDefault();
    const newEmail = emailChanging ? email.trim().toLowerCase() : null;
    update.run(
      {
        ...(name.trim() !== user.name && { name }),
        ...(newEmail !== null && { email, currentPassword }),
        ...(phone.trim() !== (user.phone ?? '') && { phone }),
      },
      {
        onSuccess: (updated) => {
          setEmail(updated.email);
          setCurrentPassword('');
          toast.success(newEmail ? `Check ${newEmail} for a link to confirm the change.` : 'Your details are saved.');
        },
      },
    );
  };

  const fields = update.fieldErrors;
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Your details</h2>
      {!user.emailVerified && <ConfirmEmailNotice email={user.email} />}
      <form onSubmit={save} noValidate>
        <FormError>{update.formError}</FormError>
        <TextField label="Full name" name="name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} errors={fields.name} />
        <EmailField
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={fields.email}
          hint={
            user.pendingEmail
              ? `Waiting for you to confirm ${user.pendingEmail}: open the link we sent there. Until then you sign in with ${user.email}.`
              : user.emailVerified
                ? 'Confirmed.'
                : undefined
          }
        />
        {emailChanging && (
          <PasswordField
            label="Current password (to change your email)"
            name="currentPassword"
            value={currentPassword}
            onChange={(e) => setCurrentPassword(e.target.value)}
            errors={fields.currentPassword}
          />
        )}
        <TextField
          label="Phone (optional)"
          name="phone"
          type="tel"
          autoComplete="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          errors={fields.phone}
        />
        <PendingButton pending={update.pending} pendingLabel="Saving…">
          Save details
        </PendingButton>
      </form>
    </section>
  );
}

function ConfirmEmailNotice({ email }: { email: string }) {
  const toast = useToast();
  const request = useRequestEmailVerification();
  const sent = request.status === 'success';
  return (
    <div className="notice">
      <p>Your email address is not confirmed yet.</p>
      <PendingButton
        type="button"
        variant="secondary"
        className="button-small"
        pending={request.pending}
        pendingLabel="Sending…"
        disabled={sent}
        onClick={() => request.run(undefined, { onSuccess: () => toast.success(`We sent a confirmation link to ${email}.`) })}
      >
        {sent ? 'Link sent' : 'Send confirmation link'}
      </PendingButton>
    </div>
  );
}
