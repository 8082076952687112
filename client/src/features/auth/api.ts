import { registerInput } from '../../../../shared/auth';
import { useAcceptSession, useForgetSession } from '../../lib/session';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Signing in: the session's user becomes `auth.me`; an account with two-step sign-in gets a challenge instead. */
export function useLogin() {
  const accept = useAcceptSession();
  return useAction(
    trpc.auth.login.useMutation({
      onSuccess: (result) => {
        if ('user' in result) accept(result.user);
      },
    }),
    { errors: 'form' },
  );
}

/** The second step of signing in: a code from the authenticator app or a recovery code. */
export function useVerifyMfa() {
  const accept = useAcceptSession();
  return useAction(trpc.auth.verifyMfa.useMutation({ onSuccess: (session) => accept(session.user) }), { errors: 'form', untyped: ['mfaToken'] });
}

export function useRegister() {
  const accept = useAcceptSession();
  return useFormAction(trpc.auth.register.useMutation({ onSuccess: (session) => accept(session.user) }), registerInput);
}

/** Signing out forgets everything cached for this visitor, whatever the server answers. */
export function useLogout() {
  const forget = useForgetSession();
  return useAction(trpc.auth.logout.useMutation({ onSettled: forget }), { errors: 'toast' });
}

export function useRequestPasswordReset() {
  return useAction(trpc.auth.requestPasswordReset.useMutation(), { errors: 'form' });
}

/** A new password ends every session, this browser's included. */
export function useResetPassword() {
  const forget = useForgetSession();
  return useAction(trpc.auth.resetPassword.useMutation({ onSuccess: forget }), { errors: 'form', untyped: ['token'] });
}

export function useVerifyEmail() {
  const utils = trpc.useUtils();
  return useAction(
    trpc.auth.verifyEmail.useMutation({
      // Success waits for `auth.me` to be fetched again, so every page shows the address as confirmed.
      // The page's first `auth.me` may still be in flight, started before the confirmation: React Query
      // would let a refetch join that stale request (it has no data yet to keep), so cancel it first.
      onSuccess: async () => {
        await utils.auth.me.cancel();
        await utils.auth.me.invalidate();
      },
    }),
    { errors: 'form', untyped: ['token'] },
  );
}

export function useUnlockAccount() {
  return useAction(trpc.auth.unlockAccount.useMutation(), { errors: 'form', untyped: ['token'] });
}
