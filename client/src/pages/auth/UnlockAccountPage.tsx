import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useUnlockAccount } from '../../features/auth/api';

/** The link mailed when many failed sign-ins from several places paused an account's password sign-in. */
export function UnlockAccountPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unlock = useUnlockAccount();
  // The token is single use: React's development double effect must not spend it twice.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    unlock.run({ token });
  }, [token, unlock]);

  return (
    <section className="auth-card card">
      <h1>Sign in again</h1>
      {!token ? (
        <p className="muted">This page needs the link from the email we sent you.</p>
      ) : unlock.status === 'pending' || unlock.status === 'idle' ? (
        <p role="status">Lifting the pause on your account…</p>
      ) : unlock.status === 'error' ? (
        <p role="alert" className="form-error">
          {unlock.formError}
        </p>
      ) : (
        <p role="status" className="success-text">
          Done: you can sign in with your password again. If the failed attempts were not yours, change your password once you are in.
        </p>
      )}
      <Link to="/login" className="button">
        Sign in
      </Link>
    </section>
  );
}
