import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import type { AppRouter } from '../../server/routers/router';
import { ApiProvider } from './components/ApiProvider';
import { ToastProvider } from './components/Toasts';
import type { User } from './lib/session';
import type { InputOf, OutputOf, ProcedurePath, RouterOutputs } from './trpc';

/**
 * The answer of one procedure: its output (or a promise of it), or a thrown ApiError. It gets the
 * procedure's input; both are the router's own types, so a fixture that drifts from the API fails
 * to compile.
 */
export type Handler<TPath extends ProcedurePath> = (input: InputOf<TPath>) => OutputOf<TPath> | Promise<OutputOf<TPath>>;
export type Handlers = { [TPath in ProcedurePath]?: Handler<TPath> };

/** What a handler throws to answer with a tRPC error: the message, code, status and data the server would send. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly httpStatus: number,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Call {
  path: string;
  input: unknown;
}

/** The handler for `path` as the untyped wire calls it: with whatever input the page sent. */
function handlerFor(handlers: Handlers, path: string): ((input: unknown) => unknown) | undefined {
  const handler: unknown = Object.hasOwn(handlers, path) ? Reflect.get(handlers, path) : undefined;
  return typeof handler === 'function' ? (input): unknown => Reflect.apply(handler, undefined, [input]) : undefined;
}

/**
 * A tRPC link that answers in memory from `handlers` and records every call. A fake API that
 * answers `auth.me` stands for a browser with a session, so the session hint cookie is set too
 * (test-setup clears it after each test).
 */
export function fakeApi(handlers: Handlers) {
  const calls: Call[] = [];
  if (handlers['auth.me']) document.cookie = 'tessera_session=1; path=/';
  const link: TRPCLink<AppRouter> =
    () =>
    ({ op }) =>
      observable((observer) => {
        calls.push({ path: op.path, input: op.input });
        const handler = handlerFor(handlers, op.path);
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
                TRPCClientError.from({ error: { message: e.message, code: -32600, data: { code: e.code, httpStatus: e.httpStatus, ...e.data } } }),
              );
            },
          );
      });
  return { link, calls, callsTo: (path: ProcedurePath) => calls.filter((c) => c.path === path) };
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

export const unauthorized = (): never => {
  throw new ApiError('Please sign in.', 'UNAUTHORIZED', 401);
};

export const testUser: User = {
  id: '11111111-1111-4111-8111-111111111111',
  email: 'casey@example.test',
  name: 'Casey Buyer',
  phone: null,
  avatarUrl: null,
  role: 'CUSTOMER',
  staffStatus: 'NONE',
  emailVerified: true,
  pendingEmail: null,
  mfaEnabled: false,
  createdAt: '2026-01-01T00:00:00.000Z',
};

/** An event on sale, as `events.byId` answers it; tests change what they need. */
export function testEvent(overrides: Partial<RouterOutputs['events']['byId']> = {}): RouterOutputs['events']['byId'] {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    name: 'Lumen Quartet',
    description: '',
    venue: 'Harbour Hall',
    startsAt: '2027-05-01T19:30:00Z',
    endsAt: null,
    imageUrl: null,
    timeZone: 'UTC',
    status: 'ON_SALE',
    minPriceCents: null,
    currency: null,
    seats: { total: 0, available: 0, reserved: 0, sold: 0 },
    tiers: [],
    groupDiscounts: [],
    paymentMethods: ['instant'],
    payLaterDays: 3,
    transfersAllowed: true,
    ...overrides,
  };
}
