import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useVerifyEmail } from '../../features/auth/api';
import { useSession } from '../../lib/session';

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verify = useVerifyEmail();
  const { user } = useSession();
  // The token is single use: React's development double effect must not spend it twice.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    verify.run({ token });
  }, [token, verify]);

  return (
    <section className="auth-card card">
      <h1>Confirm your email</h1>
      {!token ? (
        <p className="muted">This page needs the link from the email we sent you.</p>
      ) : verify.status === 'pending' || verify.status === 'idle' ? (
        <p role="status">Confirming your email…</p>
      ) : verify.status === 'error' ? (
        <div role="alert" className="form-error">
          <p>{verify.formError}</p>
          <p className="small">Links work once and expire. {user ? 'Ask for a new one from your profile.' : 'Sign in to ask for a new one.'}</p>
        </div>
      ) : (
        <p role="status" className="success-text">
          Your email is confirmed. Thank you!
        </p>
      )}
      <Link to={user ? '/profile' : '/login'} className="button button-secondary">
        {user ? 'Go to your profile' : 'Sign in'}
      </Link>
    </section>
  );
}
