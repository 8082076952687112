import { MutationCache, QueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { httpStatusOf } from './errors';

/**
 * Whether the server said it is briefly unavailable (503: its database cannot be reached, or it is
 * shedding load). Queries that get a 503 keep retrying with backoff; the app shows "we'll be right
 * back" until any request succeeds again.
 */
let unavailable = false;
const listeners = new Set<() => void>();

function set(next: boolean) {
  if (next === unavailable) return;
  unavailable = next;
  for (const listener of listeners) listener();
}

export function isServiceUnavailable(error: unknown): boolean {
  return httpStatusOf(error) === 503;
}

export function useServiceUnavailable(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => unavailable,
  );
}

/** A 503 is retried for as long as it lasts (up to about a minute and a half), other 5xx twice, 4xx never. */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (isServiceUnavailable(error)) return failures < 12;
  const status = httpStatusOf(error);
  return failures < 2 && !(status !== undefined && status < 500);
}

/** 1 s, 2 s, 4 s, then every 8 s. */
export const retryDelay = (failures: number): number => Math.min(1000 * 2 ** failures, 8000);

export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    // A mutation is not retried (it may have been applied), but its 503 shows the banner too.
    mutationCache: new MutationCache({ onError: (error) => set(isServiceUnavailable(error)), onSuccess: () => set(false) }),
    defaultOptions: { queries: { retry: shouldRetry, retryDelay } },
  });
  // Every failed attempt, not only the last: the banner shows while the retries are still going.
  client.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated') return;
    if (event.action.type === 'failed') set(isServiceUnavailable(event.action.error));
    else if (event.action.type === 'success') set(false);
  });
  return client;
}
