import { QueryClient } from '@tanstack/react-query';
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../../server/routers/router';
import { ApiProvider } from '../components/ApiProvider';
import { HomePage } from './HomePage';

type Health = inferRouterOutputs<AppRouter>['health'];

/** A link that answers `health` from a script, one entry per call: an answer or an error message. */
function scriptedHealth(...script: Array<Health | { fail: string }>): TRPCLink<AppRouter> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const next = script.shift();
        if (op.path !== 'health' || next === undefined) {
          observer.error(new TRPCClientError(`unexpected call to ${op.path}`));
        } else if ('fail' in next) {
          observer.error(new TRPCClientError(next.fail));
        } else {
          observer.next({ result: { type: 'data', data: next } });
          observer.complete();
        }
      });
}

function renderHome(link: TRPCLink<AppRouter>) {
  // No retries: a failed answer must show at once, not after react-query's back-off.
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <ApiProvider queryClient={queryClient} link={link}>
      <HomePage />
    </ApiProvider>,
  );
}

const healthy: Health = { status: 'ok', database: 'pglite', version: '9.8.7-test' };

describe('HomePage', () => {
  it('shows the database kind and version the server reports', async () => {
    renderHome(scriptedHealth(healthy));

    expect(screen.getByRole('status').textContent).toBe('Checking the server…');
    expect(await screen.findByText('pglite')).toBeTruthy();
    expect(screen.getByText('9.8.7-test')).toBeTruthy();
    expect(screen.getByText('ok')).toBeTruthy();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('says the server could not be reached when the health call fails', async () => {
    renderHome(scriptedHealth({ fail: 'Failed to fetch' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server could not be reached: Failed to fetch');
    expect(screen.queryByText('pglite')).toBeNull();
  });

  it('recovers when the user tries again after a failure', async () => {
    const user = userEvent.setup();
    renderHome(scriptedHealth({ fail: 'Failed to fetch' }, { ...healthy, database: 'postgresql' }));

    await user.click(await screen.findByRole('button', { name: 'Try again' }));

    expect(await screen.findByText('postgresql')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
