import { httpBatchLink, type TRPCLink } from '@trpc/client';
import { createTRPCReact } from '@trpc/react-query';
// Type-only: the bundle must never contain server code.
import type { AppRouter } from '../../server/routers/router';

export const trpc = createTRPCReact<AppRouter>();

/** The real API link: batched, plain JSON (no transformer), as API.md fixes the wire. */
export function apiLink(): TRPCLink<AppRouter> {
  return httpBatchLink({
    url: '/trpc',
    // The session lives in HttpOnly cookies, so every call must carry them.
    fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
  });
}
