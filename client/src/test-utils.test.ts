import { createTRPCClient } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/routers/router';
import { hasSessionHint } from './lib/session-hint';
import { ApiError, fakeApi, testUser } from './test-utils';

describe('fakeApi', () => {
  it('answers each procedure from its handler, records the calls and refuses the rest', async () => {
    const api = fakeApi({ 'orders.cancel': ({ id }) => Promise.reject(new ApiError(`No order ${id}.`, 'NOT_FOUND', 404)) });
    const client = createTRPCClient<AppRouter>({ links: [api.link] });

    await expect(client.orders.cancel.mutate({ id: 'o1' })).rejects.toMatchObject({ message: 'No order o1.', data: { httpStatus: 404 } });
    await expect(client.health.query()).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
    expect(api.calls).toEqual([
      { path: 'orders.cancel', input: { id: 'o1' } },
      { path: 'health', input: undefined },
    ]);
  });

  it('stands for a browser with a session when it answers auth.me', () => {
    expect(hasSessionHint()).toBe(false);
    fakeApi({ 'auth.me': () => testUser });
    expect(hasSessionHint()).toBe(true);
  });

  it('takes only handlers typed like the procedures they answer (checked by the type checker)', () => {
    // @ts-expect-error: `auth.me` answers a whole user
    fakeApi({ 'auth.me': () => ({ name: 'Casey' }) });
    // @ts-expect-error: there is no procedure of that name
    fakeApi({ 'auth.whoami': () => testUser });
    // @ts-expect-error: `orders.cancel` takes `{ id }`
    fakeApi({ 'orders.cancel': (input: { orderId: string }) => Promise.reject(new Error(input.orderId)) });
    expect(true).toBe(true);
  });
});
