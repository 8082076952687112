import { QueryClient } from '@tanstack/react-query';
import { isTRPCClientError } from '@trpc/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppRouter } from '../../server/routers/router';
import { App } from './App';
import { ApiProvider } from './components/ApiProvider';
import { ToastProvider } from './components/Toasts';
import { apiLinks } from './trpc';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer (bad input, not signed in, not found) will not change on a retry.
      retry: (failures, error) => {
        const status = isTRPCClientError<AppRouter>(error) ? error.data?.httpStatus : undefined;
        return failures < 2 && !(status !== undefined && status < 500);
      },
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider queryClient={queryClient} link={apiLinks()}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </ApiProvider>
  </StrictMode>,
);
