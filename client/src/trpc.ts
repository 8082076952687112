import { httpBatchLink, type TRPCLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import { observable, type Unsubscribable } from '@trpc/server/observable';
// Type-only: the bundle must never contain server code.
import type { AppRouter } from '../../server/routers/router';
import { isUnauthorized } from './lib/errors';

export const trpc = createTRPCReact<AppRouter>();

/** The real API link: batched, plain JSON (no transformer), as API.md fixes the wire. */
export function apiLink(): TRPCLink<AppRouter> {
  return httpBatchLink({
    url: '/trpc',
    // The session lives in HttpOnly cookies, so every call must carry them.
    fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
  });
}

/** Calls where a 401 is the answer itself (a wrong password), not an expired access token. */
const NO_REFRESH = new Set([
  'auth.login',
  'auth.register',
  'auth.verifyMfa',
  'auth.token',
  'auth.refresh',
  'auth.logout',
  'auth.verifyEmail',
  'auth.requestPasswordReset',
  'auth.resetPassword',
]);

/**
 * On a 401, renews the access token once (the refresh token is an HttpOnly cookie) and retries the
 * call; if renewal fails, the caller sees the original 401 and the session counts as dead.
 */
export function sessionRefreshLink(refresh: () => Promise<boolean>): TRPCLink<AppRouter> {
  return () =>
    ({ op, next }) =>
      observable((observer) => {
        let subscription: Unsubscribable | null = null;
        let stopped = false;
        subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          complete: () => observer.complete(),
          error: (error) => {
            if (!isUnauthorized(error) || NO_REFRESH.has(op.path)) {
              observer.error(error);
              return;
            }
            void refresh().then((renewed) => {
              if (stopped) return;
              if (!renewed) observer.error(error);
              else subscription = next(op).subscribe(observer);
            });
          },
        });
        return () => {
          stopped = true;
          subscription?.unsubscribe();
        };
      });
}

let renewing: Promise<boolean> | null = null;

/**
 * One renewal at a time: two concurrent refreshes would present the same refresh token twice,
 * which the server treats as theft and answers by revoking the session.
 */
export function renewSession(): Promise<boolean> {
  renewing ??= fetch('/trpc/auth.refresh', {
    method: 'POST',
    credentials: 'include',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
    .then((response) => response.ok)
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

export function apiLinks(): TRPCLink<AppRouter>[] {
  return [sessionRefreshLink(renewSession), apiLink()];
}
