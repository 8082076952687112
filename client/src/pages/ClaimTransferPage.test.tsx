import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError, fakeApi, renderWithApi, testUser, type Handlers } from '../test-utils';
import type { RouterOutputs } from '../trpc';
import { ClaimTransferPage } from './ClaimTransferPage';

type Preview = RouterOutputs['tickets']['transferPreview'];

const token = 'tok_0123456789abcdefghijklmnop';
const route = `/transfer?token=${token}`;
const eventId = '33333333-3333-4333-8333-333333333333';

function preview(overrides: Partial<Preview> = {}): Preview {
  return {
    eventId,
    eventName: 'Lumen Quartet',
    startsAt: '2099-05-01T19:30:00Z',
    venue: 'Harbour Hall',
    row: 'B',
    number: 4,
    tierName: 'Stalls',
    fromName: 'Alex Sender',
    email: testUser.email,
    state: 'PENDING',
    ...overrides,
  };
}

const claimed: RouterOutputs['tickets']['claimTransfer'] = {
  barcode: 'TSR1-NEW0-CODE',
  eventId,
  eventName: 'Lumen Quartet',
  startsAt: '2099-05-01T19:30:00Z',
  row: 'B',
  number: 4,
  tierName: 'Stalls',
  priceCents: 4500,
  currency: 'USD',
  orderId: '44444444-4444-4444-8444-444444444444',
  status: 'VALID',
  checkedInAt: null,
  transfer: null,
  receivedFrom: 'Alex Sender',
  transferable: true,
};

/** Signed in as testUser unless `signedOut`. */
function api(handlers: Handlers, signedOut = false) {
  return fakeApi({ ...(signedOut ? {} : { 'auth.me': () => testUser }), ...handlers });
}

describe('ClaimTransferPage', () => {
  it('signed out: shows what was sent and by whom, and leads to sign-in or registration that come back here', async () => {
    const fake = api({ 'tickets.transferPreview': () => preview() }, true);
    renderWithApi(<ClaimTransferPage />, fake.link, { route });

    expect(await screen.findByRole('heading', { name: 'A ticket for you' })).toBeTruthy();
    expect(await screen.findByText('Row B · Seat 4')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Lumen Quartet' }).getAttribute('href')).toBe(`/events/${eventId}`);
    expect(screen.getByText(/Harbour Hall/)).toBeTruthy();
    expect(document.body.textContent).toContain(`Alex Sender sent this ticket to ${testUser.email}.`);
    const back = encodeURIComponent(`/transfer?token=${token}`);
    const email = encodeURIComponent(testUser.email);
    expect(screen.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe(`/login?next=${back}&email=${email}`);
    expect(screen.getByRole('link', { name: 'Create an account' }).getAttribute('href')).toBe(`/register?next=${back}&email=${email}`);
    expect(screen.queryByRole('button', { name: 'Claim ticket' })).toBeNull();
    expect(fake.callsTo('tickets.transferPreview')).toEqual([{ path: 'tickets.transferPreview', input: { token } }]);
  });

  it('signed in with the address: claims the ticket and shows its new code', async () => {
    const user = userEvent.setup();
    const fake = api({ 'tickets.transferPreview': () => preview(), 'tickets.claimTransfer': () => claimed });
    renderWithApi(<ClaimTransferPage />, fake.link, { route });

    await user.click(await screen.findByRole('button', { name: 'Claim ticket' }));
    expect(await screen.findByRole('heading', { name: 'It’s yours' })).toBeTruthy();
    expect(screen.getByText('TSR1-NEW0-CODE')).toBeTruthy();
    expect(document.querySelector('.qr')).not.toBeNull();
    expect(screen.getByRole('link', { name: 'Go to My tickets' }).getAttribute('href')).toBe('/tickets');
    expect(fake.callsTo('tickets.claimTransfer')).toEqual([{ path: 'tickets.claimTransfer', input: { token } }]);
  });

  it('a refused claim shows the server’s reason; one for another address offers to switch accounts', async () => {
    const user = userEvent.setup();
    const fake = api({
      'tickets.transferPreview': () => preview(),
      'tickets.claimTransfer': () => {
        throw new ApiError('This ticket was sent to casey@example.test: sign in with that address to claim it.', 'FORBIDDEN', 403, {
          reason: 'TRANSFER_OTHER_ADDRESS',
          email: 'casey@example.test',
        });
      },
    });
    renderWithApi(<ClaimTransferPage />, fake.link, { route });

    await user.click(await screen.findByRole('button', { name: 'Claim ticket' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This ticket was sent to casey@example.test: sign in with that address to claim it.');
    expect(screen.getByRole('button', { name: `Sign out and use ${testUser.email}` })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Claim ticket' })).toBeNull();
  });

  it('signed in with another account: says which address to use instead of offering a claim that would fail', async () => {
    const fake = api({ 'tickets.transferPreview': () => preview({ email: 'robin@example.test' }) });
    renderWithApi(<ClaimTransferPage />, fake.link, { route });

    expect((await screen.findByRole('alert')).textContent).toBe(
      `You are signed in as ${testUser.email}, but this ticket was sent to robin@example.test: sign in with that address to claim it.`,
    );
    expect(screen.getByRole('button', { name: 'Sign out and use robin@example.test' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Claim ticket' })).toBeNull();
  });

  it('a conflict (taken back meanwhile) reads the link again and says so', async () => {
    const user = userEvent.setup();
    let state: Preview['state'] = 'PENDING';
    const fake = api({
      'tickets.transferPreview': () => preview({ state }),
      'tickets.claimTransfer': () => {
        state = 'CANCELLED';
        throw new ApiError('The sender took this ticket back, or sent it again with a newer link.', 'CONFLICT', 409, {
          reason: 'TRANSFER_NOT_AVAILABLE',
        });
      },
    });
    renderWithApi(<ClaimTransferPage />, fake.link, { route });

    await user.click(await screen.findByRole('button', { name: 'Claim ticket' }));
    expect(await screen.findByRole('heading', { name: 'This ticket can no longer be claimed' })).toBeTruthy();
    expect(screen.getByText(/Alex Sender took this ticket back, or sent it again with a newer link/)).toBeTruthy();
  });

  it.each([
    ['CLAIMED' as const, 'This ticket has already been claimed.'],
    ['EXPIRED' as const, 'This link has expired: the event has started, and tickets can no longer change hands.'],
  ])('a link %s says so and offers no claim', async (state, text) => {
    renderWithApi(<ClaimTransferPage />, api({ 'tickets.transferPreview': () => preview({ state }) }).link, { route });
    expect(await screen.findByText(text)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Claim ticket' })).toBeNull();
  });

  it('an unknown link says it does not work', async () => {
    const fake = api({
      'tickets.transferPreview': () => {
        throw new ApiError('This link is not valid. Ask the sender to send the ticket again.', 'NOT_FOUND', 404, { reason: 'TRANSFER_NOT_FOUND' });
      },
    });
    renderWithApi(<ClaimTransferPage />, fake.link, { route });
    expect(await screen.findByRole('heading', { name: 'This link does not work' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('This link is not valid. Ask the sender to send the ticket again.');
  });

  it('without a token, asks for the mailed link', async () => {
    renderWithApi(<ClaimTransferPage />, api({}, true).link, { route: '/transfer' });
    expect(await screen.findByRole('heading', { name: 'Claim link missing' })).toBeTruthy();
  });
});
