import { createTRPCClient } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';
import type { AppRouter } from '../../server/routers/router';
import { ApiError, fakeApi, testUser } from './test-utils';
import { sessionRefreshLink } from './trpc';

/** An API whose access token has expired: `auth.me` answers 401 until the session is renewed. */
function expiredSession() {
  let renewed = false;
  const api = fakeApi({
    'auth.me': () => {
      if (!renewed) throw new ApiError('Your session expired.', 'UNAUTHORIZED', 401);
      return testUser;
    },
    'auth.login': () => {
      throw new ApiError('Invalid email or password', 'UNAUTHORIZED', 401);
    },
  });
  return { api, renew: () => (renewed = true) };
}

describe('sessionRefreshLink', () => {
  it('renews an expired access token once and retries the call, unseen by the caller', async () => {
    const { api, renew } = expiredSession();
    const refresh = vi.fn(async () => {
      renew();
      return true;
    });
    const client = createTRPCClient<AppRouter>({ links: [sessionRefreshLink(refresh), api.link] });

    await expect(client.auth.me.query()).resolves.toEqual(testUser);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(api.callsTo('auth.me')).toHaveLength(2);
  });

  it('passes the 401 on when the session cannot be renewed (signed out)', async () => {
    const { api } = expiredSession();
    const refresh = vi.fn(async () => false);
    const client = createTRPCClient<AppRouter>({ links: [sessionRefreshLink(refresh), api.link] });

    await expect(client.auth.me.query()).rejects.toMatchObject({ data: { httpStatus: 401 } });
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(api.callsTo('auth.me')).toHaveLength(1);
  });

  it('does not treat a wrong password as an expired session', async () => {
    const { api } = expiredSession();
    const refresh = vi.fn(async () => true);
    const client = createTRPCClient<AppRouter>({ links: [sessionRefreshLink(refresh), api.link] });

    await expect(client.auth.login.mutate({ email: 'a@b.c', password: 'x' })).rejects.toMatchObject({ message: 'Invalid email or password' });
    expect(refresh).not.toHaveBeenCalled();
  });
});
