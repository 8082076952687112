import { httpBatchLink, httpLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
import type { AnyTRPCProcedure, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable, type Unsubscribable } from '@trpc/server/observable';
// Type-only: the bundle must never contain server code.
import type { AppRouter } from '../../server/routers/router';
import { NO_RENEWAL_ON_401 } from '../../shared/auth';
import { isUnauthorized } from './lib/errors';
import { hasSessionHint } from './lib/session-hint';

export const trpc = createTRPCReact<AppRouter>();

/** What each procedure takes and answers, e.g. `RouterOutputs['auth']['me']`: props are typed from these. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

type PathsOf<TRecord, TPrefix extends string = ''> = {
  [K in keyof TRecord & string]: TRecord[K] extends AnyTRPCProcedure ? `${TPrefix}${K}` : PathsOf<TRecord[K], `${TPrefix}${K}.`>;
}[keyof TRecord & string];

/** Every procedure's dotted path, as links and fakes see it: 'auth.me', 'admin.users.list', ... */
export type ProcedurePath = PathsOf<AppRouter['_def']['record']>;

type At<T, TPath extends string> = TPath extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : TPath extends keyof T
    ? T[TPath]
    : never;

export type InputOf<TPath extends ProcedurePath> = At<RouterInputs, TPath>;
export type OutputOf<TPath extends ProcedurePath> = At<RouterOutputs, TPath>;

/** Queries answered with an ETag: sent alone, so the browser's HTTP cache can revalidate them (304). */
const REVALIDATED = new Set<string>(['inventory.seatMapCompact'] satisfies ProcedurePath[]);

/**
 * The real API link: batched, plain JSON (no transformer); seat maps alone, as plain cacheable GETs;
 * subscriptions (live seats) as server-sent events, which carry the site's cookies by themselves.
 */
export function apiLink(): TRPCLink<AppRouter> {
  // The session lives in HttpOnly cookies, so every call must carry them.
  const withCookies: typeof fetch = (input, init) => fetch(input, { ...init, credentials: 'include' });
  return splitLink({
    condition: (op) => op.type === 'subscription',
    true: httpSubscriptionLink({ url: '/trpc' }),
    false: splitLink({
      condition: (op) => op.type === 'query' && REVALIDATED.has(op.path),
      true: httpLink({ url: '/trpc', fetch: withCookies }),
      // The server refuses batches of more than 10 calls.
      false: httpBatchLink({ url: '/trpc', maxItems: 10, fetch: withCookies }),
    }),
  });
}

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
            if (!isUnauthorized(error) || NO_RENEWAL_ON_401.has(op.path)) {
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

/** Runs `fn` holding a lock shared by every tab of this site (Web Locks), where the browser has them. */
async function acrossTabs<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? await locks.request(name, fn) : fn();
}

/**
 * One renewal at a time, in this tab and across tabs: the refresh token is one cookie shared by
 * every tab, and a second renewal waiting for the first then sends the token the first received.
 * (The server also gives the same successor to the same old token for a few seconds, for browsers
 * without Web Locks.) Without the session hint there is nothing to renew, and nothing is asked.
 */
export function renewSession(): Promise<boolean> {
  if (!hasSessionHint()) return Promise.resolve(false);
  renewing ??= acrossTabs('tessera-session-refresh', () =>
    fetch('/trpc/auth.refresh', {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }).then((response) => response.ok),
  )
    .catch(() => false)
    .finally(() => {
      renewing = null;
    });
  return renewing;
}

export function apiLinks(): TRPCLink<AppRouter>[] {
  return [sessionRefreshLink(renewSession), apiLink()];
}
