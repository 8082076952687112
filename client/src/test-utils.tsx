import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { AppRouter } from '../../server/routers/router';
import { ApiProvider } from './components/ApiProvider';
import { ToastProvider } from './components/Toasts';

/** An answer for one procedure: data, or a thrown ApiError. May look at the input. */
export type Handler = (input: unknown) => unknown;

export class ApiError {
  constructor(
    readonly message: string,
    readonly code: string,
    readonly httpStatus: number,
    readonly data: Record<string, unknown> = {},
  ) {}
}

export interface Call {
  path: string;
  input: unknown;
}

/**
 * A tRPC link that answers in memory from `handlers` and records every call. A fake API that
 * answers `auth.me` stands for a browser with a session, so the session hint cookie is set too
 * (test-setup clears it after each test).
 */
export function fakeApi(handlers: Record<string, Handler>) {
  const calls: Call[] = [];
  if (handlers['auth.me']) document.cookie = 'tessera_session=1; path=/';
  const link: TRPCLink<AppRouter> = () => ({ op }) =>
    observable((observer) => {
      calls.push({ path: op.path, input: op.input });
      const handler = handlers[op.path];
      Promise.resolve()
        .then(() => {
          if (!handler) throw new ApiError(`no handler for ${op.path}`, 'NOT_FOUND', 404);
          return handler(op.input);
        })
        .then(
          (data) => {
            observer.next({ result: { type: 'data', data } });
            observer.complete();
          },
          (error: unknown) => {
            const e = error instanceof ApiError ? error : new ApiError(String(error), 'INTERNAL_SERVER_ERROR', 500);
            observer.error(
              TRPCClientError.from({ error: { message: e.message, code: -32600, data: { code: e.code, httpStatus: e.httpStatus, ...e.data } } }) as TRPCClientError<AppRouter>,
            );
          },
        );
    });
  return { link, calls, callsTo: (path: string) => calls.filter((c) => c.path === path) };
}

export function renderWithApi(ui: ReactElement, link: TRPCLink<AppRouter>, { route = '/', path }: { route?: string; path?: string } = {}) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <ApiProvider queryClient={queryClient} link={link}>
      <ToastProvider>
        <MemoryRouter initialEntries={[route]}>
          <Routes>
            <Route path={path ?? route.split('?')[0]} element={ui} />
            <Route path="*" element={<LocationProbe />} />
          </Routes>
        </MemoryRouter>
      </ToastProvider>
    </ApiProvider>,
  );
}

/** Where a page navigated to, for assertions. */
function LocationProbe() {
  const location = useLocation();
  return <p data-testid="location">{`${location.pathname}${location.search}`}</p>;
}

export const unauthorized = () => {
  throw new ApiError('Please sign in.', 'UNAUTHORIZED', 401);
};

export const testUser = {
  id: '11111111-1111-4111-8111-111111111111',
  email: 'casey@example.test',
  name: 'Casey Buyer',
  phone: null,
  avatarUrl: null,
  role: 'CUSTOMER' as const,
  staffStatus: 'NONE' as const,
  emailVerified: true,
  mfaEnabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};
