import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { EmailField, FormError, PasswordField, PendingButton, TextField } from '../../components/Form';
import { useLogin, useVerifyMfa } from '../../features/auth/api';
import { safeNext, useSession } from '../../lib/session';

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const { user } = useSession();
  const login = useLogin();
  const verifyMfa = useVerifyMfa();
  // A link that knows the address (a ticket sent to it, say) fills it in.
  const [email, setEmail] = useState(params.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [signedIn, setSignedIn] = useState(false);

  if (user && !signedIn) return <Navigate to={next} replace />;

  const finish = () => {
    setSignedIn(true);
    void navigate(next, { replace: true });
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    login.run({ email, password }, { onSuccess: (result) => ('mfaRequired' in result ? setMfaToken(result.mfaToken) : finish()) });
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!mfaToken) return;
    verifyMfa.run({ mfaToken, code: code.trim() }, { onSuccess: finish });
  };

  if (mfaToken) {
    const fields = verifyMfa.fieldErrors;
    return (
      <section className="auth-card card">
        <h1>Two-step verification</h1>
        <p className="muted">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
        <form onSubmit={submitCode} noValidate>
          <FormError>{verifyMfa.formError}</FormError>
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
          <PendingButton pending={verifyMfa.pending} pendingLabel="Verifying…" className="button-block">
            Verify and sign in
          </PendingButton>
        </form>
        <button type="button" className="link-button" onClick={() => setMfaToken(null)}>
          Use a different account
        </button>
      </section>
    );
  }

  const fields = login.fieldErrors;
  return (
    <section className="auth-card card">
      <h1>Sign in</h1>
      <p className="muted">Welcome back. Sign in to hold seats and see your tickets.</p>
      <form onSubmit={submitPassword} noValidate>
        <FormError>{login.formError}</FormError>
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} required errors={fields.email} />
        <PasswordField value={password} onChange={(e) => setPassword(e.target.value)} required errors={fields.password} />
        <div className="form-row-end">
          <Link to="/forgot-password">Forgot your password?</Link>
        </div>
        <PendingButton pending={login.pending} pendingLabel="Signing in…" className="button-block">
          Sign in
        </PendingButton>
      </form>
      <p className="auth-switch">
        New to Tessera? <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
      </p>
    </section>
  );
}
