import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { TRPCLink } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import type { AppRouter } from '../../../server/routers/router';
import { trpc } from '../trpc';

interface ApiProviderProps {
  queryClient: QueryClient;
  /** The app passes the HTTP links; component tests pass a link that answers in memory. */
  link: TRPCLink<AppRouter> | TRPCLink<AppRouter>[];
  children: ReactNode;
}

export function ApiProvider({ queryClient, link, children }: ApiProviderProps) {
  const [client] = useState(() => trpc.createClient({ links: Array.isArray(link) ? link : [link] }));
  return (
    <trpc.Provider client={client} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </trpc.Provider>
  );
}
