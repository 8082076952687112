import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormError, NewPasswordField, PasswordField, PendingButton } from '../../components/Form';
import { useResetPassword } from '../../features/auth/api';

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useResetPassword();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  if (!token) {
    return (
      <section className="auth-card card">
        <h1>Reset link missing</h1>
        <p className="muted">Open the link from the email we sent you, or ask for a new one.</p>
        <Link to="/forgot-password" className="button button-primary">
          Send a new link
        </Link>
      </section>
    );
  }

  if (done) {
    return (
      <section className="auth-card card">
        <h1>Password changed</h1>
        <p role="status">Your new password is set, and every device that was signed in has been signed out.</p>
        <Link to="/login" className="button button-primary">
          Sign in
        </Link>
      </section>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    reset.run({ token, password }, { onSuccess: () => setDone(true) });
  };

  const fields = reset.fieldErrors;
  return (
    <section className="auth-card card">
      <h1>Choose a new password</h1>
      <form onSubmit={submit} noValidate>
        <FormError>{reset.formError}</FormError>
        <NewPasswordField label="New password" value={password} onChange={(e) => setPassword(e.target.value)} required errors={fields.password} />
        <PasswordField
          label="Repeat the new password"
          name="confirm"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          required
          errors={mismatch ? ['The two passwords differ.'] : undefined}
        />
        <PendingButton pending={reset.pending} pendingLabel="Saving…" className="button-block">
          Set new password
        </PendingButton>
      </form>
    </section>
  );
}
