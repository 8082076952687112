import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { trpc, type RouterOutputs } from '../trpc';
import { hasSessionHint } from './session-hint';

export type User = RouterOutputs['auth']['me'];

/** The signed-in user, or null. `auth.me` answering 401 (after one silent refresh) means signed out. */
export function useSession() {
  const signedIn = hasSessionHint();
  const me = trpc.auth.me.useQuery(undefined, { enabled: signedIn, retry: false, staleTime: 5 * 60_000, refetchOnWindowFocus: false });
  const user = signedIn ? (me.data ?? null) : null;
  return { user, loading: signedIn && me.isPending && me.fetchStatus !== 'idle', refetch: me.refetch };
}

export function isAdmin(user: User | null): boolean {
  return user?.role === 'ADMIN';
}

/** After login/register/MFA: the session's user becomes `auth.me` without another round trip. */
export function useAcceptSession() {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  return useCallback(
    (user: User) => {
      // Anything cached for a previous visitor (orders, seat maps with `mine`) is not this user's.
      queryClient.removeQueries();
      utils.auth.me.setData(undefined, user);
    },
    [queryClient, utils],
  );
}

/** Forgets everything cached for the signed-out user; `auth.me` then answers 401 again. */
export function useForgetSession() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    queryClient.clear();
  }, [queryClient]);
}

/** Only same-site paths: `?next=https://evil.example` must not become an open redirect. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
