import { useState, type FormEvent } from 'react';
import { FormError, NewPasswordField, PasswordField, PendingButton } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useChangePassword } from './api';

export function PasswordSection() {
  const toast = useToast();
  const change = useChangePassword();
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.run(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrent('');
          setNew('');
          toast.success('Password changed. Your other devices were signed out.');
        },
      },
    );
  };

  const fields = change.fieldErrors;
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form onSubmit={submit} noValidate>
        <FormError>{change.formError}</FormError>
        <PasswordField
          label="Current password"
          name="currentPassword"
          value={currentPassword}
          onChange={(e) => setCurrent(e.target.value)}
          errors={fields.currentPassword}
        />
        <NewPasswordField
          label="New password"
          name="newPassword"
          value={newPassword}
          onChange={(e) => setNew(e.target.value)}
          errors={fields.newPassword}
        />
        <PendingButton pending={change.pending} pendingLabel="Changing…" disabled={!currentPassword || !newPassword}>
          Change password
        </PendingButton>
      </form>
    </section>
  );
}
