import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { saveCheckout } from '../lib/holds';
import { ApiError, fakeApi, renderWithApi, testEvent, type Handler } from '../test-utils';
import { CheckoutPage } from './CheckoutPage';

const eventId = '22222222-2222-4222-8222-222222222222';
const seats = [
  { row: 'C', number: 5 },
  { row: 'C', number: 6 },
];
const quote = {
  lines: seats.map((s) => ({ ...s, tierName: 'Stalls', priceCents: 4500 })),
  subtotalCents: 9000,
  percentOff: 10,
  discountCents: 900,
  totalCents: 8100,
  currency: 'USD',
  voucher: null,
};
const order = {
  number: 'TSR-7KQ4-2M',
  id: 'o1',
  eventId,
  eventName: 'Lumen Quartet',
  status: 'PAID' as const,
  subtotalCents: 9000,
  discountCents: 900,
  totalCents: 8100,
  currency: 'USD',
  createdAt: '2026-01-01T00:00:00Z',
  cancelledAt: null,
  paymentMethod: 'instant' as const,
  paymentDueAt: null,
  paidAt: '2026-01-01T00:00:00Z',
  refundedCents: 0,
  voucherCode: null,
  tickets: [],
};

function api(purchase: Handler<'tickets.purchase'>, event = testEvent({ id: eventId })) {
  return fakeApi({
    'events.byId': () => event,
    'pricing.quote': () => quote,
    'tickets.purchase': purchase,
    'orders.mine': () => [],
    'tickets.mine': () => [],
    'inventory.seatMapCompact': () => ({ eventId, version: '1.0', holdMinutes: 10, tiers: [], rows: [], mine: [] }),
  });
}

describe('CheckoutPage', () => {
  it('shows the total with the group discount and buys once for a double click', async () => {
    const user = userEvent.setup();
    saveCheckout({ eventId, seats, idempotencyKey: 'key-1' });
    const fake = api(() => new Promise((resolve) => setTimeout(() => resolve(order), 20)));
    renderWithApi(<CheckoutPage />, fake.link, { route: '/checkout' });

    expect((await screen.findByText('Group discount')).nextSibling!.textContent).toBe('−$9.00');
    // The order cannot be placed before the buyer confirms their details.
    expect((await screen.findByRole('button', { name: 'Place order · $81.00' })).hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByLabelText('These details are right'));
    await user.dblClick(await screen.findByRole('button', { name: 'Place order · $81.00' }));

    expect((await screen.findByTestId('location')).textContent).toBe('/tickets?order=o1');
    expect(fake.callsTo('tickets.purchase')).toEqual([{ path: 'tickets.purchase', input: { eventId, seats, idempotencyKey: 'key-1' } }]);
  });

  it('retries a failed payment with the same idempotency key, so the server cannot charge twice', async () => {
    const user = userEvent.setup();
    saveCheckout({ eventId, seats, idempotencyKey: 'key-2' });
    let attempts = 0;
    const fake = api(() => {
      attempts += 1;
      if (attempts === 1) throw new ApiError('Something went wrong on our side. Please try again.', 'INTERNAL_SERVER_ERROR', 500);
      return order;
    });
    renderWithApi(<CheckoutPage />, fake.link, { route: '/checkout' });

    await user.click(await screen.findByLabelText('These details are right'));
    await user.click(await screen.findByRole('button', { name: 'Place order · $81.00' }));
    expect((await screen.findByRole('alert')).textContent).toContain('you will not be charged twice');
    await user.click(screen.getByRole('button', { name: 'Place order · $81.00' }));

    await screen.findByTestId('location');
    expect(fake.callsTo('tickets.purchase')).toMatchObject([{ input: { idempotencyKey: 'key-2' } }, { input: { idempotencyKey: 'key-2' } }]);
  });

  it('offers the event’s ways to pay; paying by bank transfer sends that choice and says when to pay', async () => {
    const user = userEvent.setup();
    saveCheckout({ eventId, seats, idempotencyKey: 'key-3' });
    const event = testEvent({ id: eventId, paymentMethods: ['instant', 'bank_transfer'], payLaterDays: 3, startsAt: '2099-05-01T19:30:00Z' });
    const pending = {
      ...order,
      status: 'PENDING' as const,
      paymentMethod: 'bank_transfer' as const,
      paymentDueAt: '2099-04-01T10:00:00Z',
      paidAt: null,
    };
    const fake = api(() => pending, event);
    renderWithApi(<CheckoutPage />, fake.link, { route: '/checkout' });

    const group = await screen.findByRole('group', { name: 'How would you like to pay?' });
    expect(screen.getByLabelText<HTMLInputElement>('Pay now').checked).toBe(true);
    expect(group.textContent).toContain('We mail you the account details');
    await user.click(screen.getByLabelText('Pay by bank transfer'));
    expect(screen.getByText(/Nothing is charged now/)).toBeTruthy();
    await user.click(screen.getByLabelText('These details are right'));
    await user.click(await screen.findByRole('button', { name: 'Place order · $81.00' }));

    expect((await screen.findByTestId('location')).textContent).toBe('/tickets?order=o1');
    expect(fake.callsTo('tickets.purchase')).toMatchObject([{ input: { idempotencyKey: 'key-3', paymentMethod: 'bank_transfer' } }]);
  });

  it('paying later closes within the hour before the event: only paying now is left', async () => {
    saveCheckout({ eventId, seats, idempotencyKey: 'key-4' });
    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    const fake = api(() => order, testEvent({ id: eventId, paymentMethods: ['instant', 'box_office'], startsAt: soon }));
    renderWithApi(<CheckoutPage />, fake.link, { route: '/checkout' });
    await screen.findByRole('group', { name: 'How would you like to pay?' });
    expect(screen.getByLabelText<HTMLInputElement>('Pay at the box office').disabled).toBe(true);
    expect(screen.getByLabelText<HTMLInputElement>('Pay now').checked).toBe(true);
    expect(screen.getByText('No longer offered: the event starts within the hour.')).toBeTruthy();
  });
});

describe('CheckoutPage with presale seats', () => {
  it('applies the presale code the held seats need, keeps it, and buys with it', async () => {
    const user = userEvent.setup();
    saveCheckout({ eventId, seats, idempotencyKey: 'key-5', code: 'PRESALE' });
    const fake = fakeApi({
      'events.byId': () => testEvent({ id: eventId }),
      'pricing.quote': ({ code }) => ({
        ...quote,
        percentOff: 0,
        discountCents: 0,
        totalCents: 9000,
        voucher: code ? { code, kind: 'percent', value: 0 } : null,
      }),
      'tickets.purchase': () => ({ ...order, voucherCode: 'PRESALE' }),
      'orders.mine': () => [],
      'tickets.mine': () => [],
    });
    renderWithApi(<CheckoutPage />, fake.link, { route: '/checkout' });

    expect((await screen.findByText(/applied\./)).textContent).toBe('Code PRESALE applied. Your presale seats need it.');
    expect(screen.queryByRole('button', { name: 'Remove code' })).toBeNull();
    await user.click(screen.getByLabelText('These details are right'));
    await user.click(await screen.findByRole('button', { name: 'Place order · $90.00' }));

    await screen.findByTestId('location');
    expect(fake.callsTo('pricing.quote')[0]!.input).toEqual({ eventId, seats, code: 'PRESALE' });
    expect(fake.callsTo('tickets.purchase')).toEqual([
      { path: 'tickets.purchase', input: { eventId, seats, idempotencyKey: 'key-5', code: 'PRESALE' } },
    ]);
  });

  it('fills the code field in with a presale code unlocked on the event, to apply or not, when the seats do not need it', async () => {
    saveCheckout({ eventId, seats, idempotencyKey: 'key-6' });
    sessionStorage.setItem(`tessera.presale.${eventId}`, JSON.stringify({ code: 'PRESALE', tierIds: ['t2'] }));
    renderWithApi(<CheckoutPage />, api(() => order).link, { route: '/checkout' });

    const field = await screen.findByRole<HTMLInputElement>('textbox', { name: 'Voucher or promo code' });
    expect(field.value).toBe('PRESALE');
    expect(screen.queryByText(/applied\./)).toBeNull();
  });
});
