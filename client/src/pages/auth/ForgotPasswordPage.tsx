import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { EmailField, FormError, PendingButton } from '../../components/Form';
import { errorMessage, fieldErrorsOf } from '../../lib/errors';
import { useLock } from '../../lib/useLock';
import { trpc } from '../../trpc';

export function ForgotPasswordPage() {
  const request = trpc.auth.requestPasswordReset.useMutation();
  const lock = useLock();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void lock.run(async () => {
      try {
        await request.mutateAsync({ email: email.trim() });
        setSentTo(email.trim());
      } catch {
        // Shown from request.error below.
      }
    });
  };

  if (sentTo) {
    return (
      <section className="auth-card card">
        <h1>Check your email</h1>
        <p role="status">
          If an account exists for <strong>{sentTo}</strong>, we sent it a link to choose a new password. The link works once and
          expires soon.
        </p>
        <Link to="/login" className="button button-secondary">
          Back to sign in
        </Link>
      </section>
    );
  }

  const fields = fieldErrorsOf(request.error);
  return (
    <section className="auth-card card">
      <h1>Forgot your password?</h1>
      <p className="muted">Enter your email and we will send you a link to choose a new one.</p>
      <form onSubmit={submit} noValidate>
        <FormError>{request.error && !fields.email ? errorMessage(request.error) : null}</FormError>
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <PendingButton pending={lock.locked} pendingLabel="Sending…" className="button-block">
          Send reset link
        </PendingButton>
      </form>
      <p className="auth-switch">
        Remembered it? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
