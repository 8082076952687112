import { QueryClient, QueryClientProvider, useMutation } from '@tanstack/react-query';
import { act, renderHook, screen, waitFor } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import type { ReactNode } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ToastProvider } from '../components/Toasts';
import { useAction, useFormAction } from './useAction';

function wrapper({ children }: { children: ReactNode }) {
  const queryClient = new QueryClient({ defaultOptions: { mutations: { retry: false } } });
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}

/** A server answer as tRPC hands it to the client. */
function serverError(message: string, data: Record<string, unknown> = {}) {
  return TRPCClientError.from({ error: { message, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, ...data } } });
}

/** Lets queued promise callbacks and timers run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)));

/** A mutation whose answers the test settles by hand. */
function deferredMutation() {
  const pending: Array<{ resolve: (value: string) => void; reject: (error: unknown) => void }> = [];
  const send = vi.fn(
    (_input: { name: string }) =>
      new Promise<string>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return { send, pending };
}

describe('useAction', () => {
  it('sends once however often it is pressed while running, and is pending until the answer', async () => {
    const { send, pending } = deferredMutation();
    const onSuccess = vi.fn();
    const { result } = renderHook(() => useAction(useMutation({ mutationFn: send }), { errors: 'toast' }), { wrapper });

    act(() => {
      result.current.run({ name: 'a' }, { onSuccess });
      result.current.run({ name: 'a' }, { onSuccess });
    });
    expect(result.current.pending).toBe(true);
    await waitFor(() => expect(pending).toHaveLength(1));
    act(() => result.current.run({ name: 'a' }, { onSuccess }));
    await settle();
    expect(send).toHaveBeenCalledTimes(1);

    await act(async () => pending[0]!.resolve('done'));
    await waitFor(() => expect(result.current.pending).toBe(false));
    expect(onSuccess).toHaveBeenCalledExactlyOnceWith('done');
    act(() => result.current.run({ name: 'b' }));
    await waitFor(() => expect(send).toHaveBeenCalledTimes(2));
  });

  it('shows a failure as a toast, unless the call shows it itself', async () => {
    const { send, pending } = deferredMutation();
    const { result } = renderHook(() => useAction(useMutation({ mutationFn: send }), { errors: 'toast' }), { wrapper });

    act(() => result.current.run({ name: 'a' }));
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0]!.reject(serverError('That did not work.')));
    expect((await screen.findByRole('alert')).textContent).toContain('That did not work.');
    expect(result.current.formError).toBeNull();

    const onError = vi.fn();
    await waitFor(() => expect(result.current.pending).toBe(false));
    act(() => result.current.run({ name: 'b' }, { onError }));
    await waitFor(() => expect(pending).toHaveLength(2));
    await act(async () => pending[1]!.reject(serverError('Seats taken.')));
    await waitFor(() => expect(onError).toHaveBeenCalledOnce());
    expect(screen.queryByText('Seats taken.')).toBeNull();
  });

  it('gives a form the server’s field messages, and its message when no field shows one', async () => {
    const { send, pending } = deferredMutation();
    const { result } = renderHook(() => useAction(useMutation({ mutationFn: send }), { errors: 'form', untyped: ['name'] }), { wrapper });

    act(() => result.current.run({ name: 'a' }));
    await waitFor(() => expect(pending).toHaveLength(1));
    await act(async () => pending[0]!.reject(serverError('This link is invalid.', { fieldErrors: { name: ['This link is invalid.'] } })));
    // `name` is untyped here (a token from a link): its message shows above the form.
    await waitFor(() => expect(result.current.formError).toBe('This link is invalid.'));
    expect(result.current.fieldErrors).toEqual({});
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('useFormAction', () => {
  const schema = z.object({ name: z.string().trim().min(1, 'Enter a name.') });

  it('checks the values with the schema before sending, and sends the parsed values', async () => {
    const { send, pending } = deferredMutation();
    const { result } = renderHook(() => useFormAction(useMutation({ mutationFn: send }), schema), { wrapper });

    act(() => result.current.run({ name: '  ' }));
    expect(send).not.toHaveBeenCalled();
    expect(result.current.fieldErrors).toEqual({ name: ['Enter a name.'] });

    act(() => result.current.run({ name: ' Casey ' }));
    await waitFor(() => expect(send).toHaveBeenCalledExactlyOnceWith({ name: 'Casey' }, expect.anything()));
    expect(result.current.fieldErrors).toEqual({});
    await act(async () => pending[0]!.reject(serverError('Some fields are not valid.', { fieldErrors: { name: ['Taken.'] } })));
    await waitFor(() => expect(result.current.fieldErrors).toEqual({ name: ['Taken.'] }));
    expect(result.current.formError).toBeNull();

    // While the form's own messages show, the server's last answer does not.
    act(() => result.current.run({ name: '' }));
    expect(result.current.fieldErrors).toEqual({ name: ['Enter a name.'] });
  });
});
