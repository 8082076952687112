import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { EmailField, FormError, PendingButton } from '../../components/Form';
import { useRequestPasswordReset } from '../../features/auth/api';

export function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const address = email.trim();
    request.run({ email: address }, { onSuccess: () => setSentTo(address) });
  };

  if (sentTo) {
    return (
      <section className="auth-card card">
        <h1>Check your email</h1>
        <p role="status">
          If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new password. The link works once and expires soon.
        </p>
        <Link to="/login" className="button button-secondary">
          Back to sign in
        </Link>
      </section>
    );
  }

  const fields = request.fieldErrors;
  return (
    <section className="auth-card card">
      <h1>Forgot your password?</h1>
      <p className="muted">Enter your email and we will send you a link to choose a new one.</p>
      <form onSubmit={submit} noValidate>
        <FormError>{request.formError}</FormError>
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <PendingButton pending={request.pending} pendingLabel="Sending…" className="button-block">
          Send reset link
        </PendingButton>
      </form>
      <p className="auth-switch">
        Remembered it? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
