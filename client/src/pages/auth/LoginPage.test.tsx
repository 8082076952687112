import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError, fakeApi, renderWithApi, testUser, unauthorized } from '../../test-utils';
import { LoginPage } from './LoginPage';

describe('LoginPage', () => {
  it('shows the server’s message for a failed login, naming neither field', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      'auth.me': unauthorized,
      'auth.login': () => {
        throw new ApiError('Invalid email or password', 'UNAUTHORIZED', 401);
      },
    });
    renderWithApi(<LoginPage />, api.link, { route: '/login' });

    await user.type(screen.getByLabelText('Email'), 'casey@example.test');
    await user.type(screen.getByLabelText('Password'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByRole('alert')).textContent).toBe('Invalid email or password');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByLabelText('Password').getAttribute('aria-invalid')).toBeNull();
  });

  it('signs in once however often the button is pressed, then returns to the page that asked', async () => {
    const user = userEvent.setup();
    let release!: () => void;
    const api = fakeApi({
      'auth.me': unauthorized,
      'auth.login': () =>
        new Promise((resolve) => (release = () => resolve({ user: testUser, accessToken: 't', expiresAt: '2030-01-01T00:00:00Z' }))),
    });
    renderWithApi(<LoginPage />, api.link, { route: '/login?next=%2Ftickets' });

    await user.type(screen.getByLabelText('Email'), testUser.email);
    await user.type(screen.getByLabelText('Password'), 'a-good-password');
    const button = screen.getByRole('button', { name: 'Sign in' });
    await user.dblClick(button);
    await user.click(button);

    expect(screen.getByRole('button', { name: 'Signing in…' }).hasAttribute('disabled')).toBe(true);
    release();
    expect((await screen.findByTestId('location')).textContent).toBe('/tickets');
    expect(api.callsTo('auth.login')).toEqual([{ path: 'auth.login', input: { email: testUser.email, password: 'a-good-password' } }]);
  });

  it('never follows a next= address to another site', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      'auth.me': unauthorized,
      'auth.login': () => ({ user: testUser, accessToken: 't', expiresAt: '2030-01-01T00:00:00Z' }),
    });
    renderWithApi(<LoginPage />, api.link, { route: '/login?next=%2F%2Fevil.example%2Fx' });

    await user.type(screen.getByLabelText('Email'), testUser.email);
    await user.type(screen.getByLabelText('Password'), 'a-good-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect((await screen.findByTestId('location')).textContent).toBe('/');
  });
});
