import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError, fakeApi, renderWithApi, testUser, unauthorized } from '../../test-utils';
import { RegisterPage } from './RegisterPage';

describe('RegisterPage', () => {
  it('checks the form with the server’s schema before sending anything', async () => {
    const user = userEvent.setup();
    const api = fakeApi({ 'auth.me': unauthorized });
    renderWithApi(<RegisterPage />, api.link, { route: '/register' });

    await user.type(screen.getByLabelText('Email'), 'not-an-address');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const name = screen.getByLabelText('Full name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(name.getAttribute('aria-describedby')!)!.textContent).toBe('Enter a name.');
    expect(screen.getByText('Enter a valid email address.')).toBeTruthy();
    expect(screen.getByText('Use at least 8 characters.')).toBeTruthy();
    expect(api.callsTo('auth.register')).toHaveLength(0);
  });

  it('shows the server’s field errors beside their fields', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      'auth.me': unauthorized,
      'auth.register': () => {
        throw new ApiError('Some fields are not valid.', 'BAD_REQUEST', 400, { fieldErrors: { password: ['That password is too common.'] } });
      },
    });
    renderWithApi(<RegisterPage />, api.link, { route: '/register' });

    await user.type(screen.getByLabelText('Full name'), 'Casey Buyer');
    await user.type(screen.getByLabelText('Email'), 'casey@example.test');
    await user.type(screen.getByLabelText('Password'), 'password1');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const error = await screen.findByText('That password is too common.');
    expect(screen.getByLabelText('Password').getAttribute('aria-describedby')).toContain(error.id);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('sends a staff access request and signs the new account in', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      'auth.me': unauthorized,
      'auth.register': (input) => ({
        user: { ...testUser, name: input.name, email: input.email, role: 'STAFF', staffStatus: 'PENDING' },
        accessToken: 't',
        expiresAt: '2030-01-01T00:00:00Z',
      }),
    });
    renderWithApi(<RegisterPage />, api.link, { route: '/register' });

    await user.type(screen.getByLabelText('Full name'), 'Sam Stage');
    await user.type(screen.getByLabelText('Email'), 'Sam@Example.test');
    await user.type(screen.getByLabelText('Password'), 'stage-door-2027');
    await user.click(screen.getByLabelText(/Request staff access/));
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect((await screen.findByTestId('location')).textContent).toBe('/');
    expect(api.callsTo('auth.register')[0]!.input).toEqual({
      name: 'Sam Stage',
      email: 'sam@example.test',
      password: 'stage-door-2027',
      requestStaff: true,
    });
    expect(screen.getByRole('status').textContent).toContain('Your staff request is waiting for an administrator.');
  });
});
