import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { EmailField, FormError, PasswordField, PendingButton, TextField } from '../../components/Form';
import type { User } from '../../lib/api-types';
import { errorMessage, fieldErrorsOf } from '../../lib/errors';
import { safeNext, useAcceptSession, useSession } from '../../lib/session';
import { useLock } from '../../lib/useLock';
import { trpc } from '../../trpc';

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const accept = useAcceptSession();
  const { user } = useSession();
  const login = trpc.auth.login.useMutation();
  const verifyMfa = trpc.auth.verifyMfa.useMutation();
  const lock = useLock();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [signedIn, setSignedIn] = useState(false);

  if (user && !signedIn) return <Navigate to={next} replace />;

  const finish = (sessionUser: User) => {
    setSignedIn(true);
    accept(sessionUser);
    navigate(next, { replace: true });
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    void lock.run(async () => {
      try {
        const result = await login.mutateAsync({ email, password });
        if ('mfaRequired' in result) {
          setMfaToken(result.mfaToken);
        } else {
          finish(result.user as User);
        }
      } catch {
        // Shown from login.error below.
      }
    });
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!mfaToken) return;
    void lock.run(async () => {
      try {
        const session = await verifyMfa.mutateAsync({ mfaToken, code: code.trim() });
        finish(session.user as User);
      } catch {
        // Shown from verifyMfa.error below.
      }
    });
  };

  if (mfaToken) {
    const fields = fieldErrorsOf(verifyMfa.error);
    return (
      <section className="auth-card card">
        <h1>Two-step verification</h1>
        <p className="muted">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
        <form onSubmit={submitCode} noValidate>
          <FormError>{verifyMfa.error && !fields.code ? errorMessage(verifyMfa.error) : null}</FormError>
          <TextField
            label="Authentication code"
            name="code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            required
            errors={fields.code}
          />
          <PendingButton pending={lock.locked} pendingLabel="Verifying…" className="button-block">
            Verify and sign in
          </PendingButton>
        </form>
        <button type="button" className="link-button" onClick={() => setMfaToken(null)}>
          Use a different account
        </button>
      </section>
    );
  }

  const fields = fieldErrorsOf(login.error);
  return (
    <section className="auth-card card">
      <h1>Sign in</h1>
      <p className="muted">Welcome back. Sign in to hold seats and see your tickets.</p>
      <form onSubmit={submitPassword} noValidate>
        <FormError>{login.error ? errorMessage(login.error) : null}</FormError>
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <PasswordField value={password} onChange={(e) => setPassword(e.target.value)} required errors={fields.password} />
        <div className="form-row-end">
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
        <PendingButton pending={lock.locked} pendingLabel="Signing in…" className="button-block">
          Sign in
        </PendingButton>
      </form>
      <p className="auth-switch">
        New to Tessera? <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
