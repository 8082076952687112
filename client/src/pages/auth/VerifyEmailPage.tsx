import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/errors';
import { useSession } from '../../lib/session';
import { trpc } from '../../trpc';

export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const utils = trpc.useUtils();
  // Success waits for `auth.me` to be fetched again, so every page shows the address as confirmed.
  // The page's first `auth.me` may still be in flight, started before the confirmation: React Query
  // would let a refetch join that stale request (it has no data yet to keep), so cancel it first.
  const verify = trpc.auth.verifyEmail.useMutation({
    onSuccess: async () => {
      await utils.auth.me.cancel();
      await utils.auth.me.invalidate();
    },
  });
  const { user } = useSession();
  // The token is single use: React's development double effect must not spend it twice.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    verify.mutate({ token });
  }, [token, verify]);

  return (
    <section className="auth-card card">
      <h1>Confirm your email</h1>
      {!token ? (
        <p className="muted">This page needs the link from the email we sent you.</p>
      ) : verify.isPending || verify.isIdle ? (
        <p role="status">Confirming your email…</p>
      ) : verify.isError ? (
        <div role="alert" className="form-error">
          <p>{errorMessage(verify.error)}</p>
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
