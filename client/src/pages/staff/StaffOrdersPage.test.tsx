import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApi } from '../../test-utils';
import type { RouterOutputs } from '../../trpc';
import { StaffOrdersPage } from './StaffOrdersPage';

type Order = RouterOutputs['orders']['list']['items'][number];
type Ticket = Order['tickets'][number];

const eventId = '33333333-3333-4333-8333-333333333333';
const orderId = '44444444-4444-4444-8444-444444444444';

function ticket(number: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    barcode: `TSR1-AAAA-000${number}`,
    eventId,
    eventName: 'Lumen Quartet',
    startsAt: '2099-05-01T19:30:00Z',
    row: 'A',
    number,
    tierName: 'Stalls',
    priceCents: 4500,
    currency: 'USD',
    orderId,
    status: 'VALID',
    checkedInAt: null,
    transfer: null,
    receivedFrom: null,
    transferable: true,
    ...overrides,
  };
}

const claimed = {
  id: '55555555-5555-4555-8555-555555555555',
  email: 'robin@example.test',
  state: 'CLAIMED' as const,
  sentAt: '2026-03-01T10:00:00Z',
  until: '2026-03-02T12:00:00Z',
};
const pendingTransfer = { ...claimed, email: 'sam@example.test', state: 'PENDING' as const, until: '2099-05-01T19:30:00Z' };

const order: Order = {
  number: 'TSR-7KQ4-2M',
  id: orderId,
  eventId,
  eventName: 'Lumen Quartet',
  status: 'PAID',
  subtotalCents: 13500,
  discountCents: 0,
  totalCents: 13500,
  currency: 'USD',
  createdAt: '2026-01-01T00:00:00Z',
  cancelledAt: null,
  paymentMethod: 'instant',
  paymentDueAt: null,
  paidAt: '2026-01-01T00:00:00Z',
  refundedCents: 0,
  voucherCode: null,
  tickets: [ticket(1), ticket(2, { transfer: claimed, receivedFrom: 'Casey Buyer' }), ticket(3, { transfer: pendingTransfer })],
};

describe('StaffOrdersPage', () => {
  it('says which tickets were passed on, and to whom, in the seats and in the refund picker', async () => {
    const user = userEvent.setup();
    const fake = fakeApi({
      'orders.list': () => ({ items: [order], nextCursor: null }),
      'events.list': () => ({ items: [], nextCursor: null }),
    });
    renderWithApi(<StaffOrdersPage />, fake.link, { route: '/staff/orders' });

    const row = (await screen.findByText('TSR-7KQ4-2M', { selector: '.order-number' })).closest('tr')!;
    // Only a claimed transfer changes who holds the ticket; one merely sent does not.
    expect(within(row).getAllByRole('cell')[3]!.textContent).toBe('A1, A2 (passed on to robin@example.test), A3');

    await user.click(within(row).getByRole('button', { name: 'Refund tickets of TSR-7KQ4-2M' }));
    const picker = screen.getByRole('form', { name: 'Refund tickets of TSR-7KQ4-2M' });
    expect(within(picker).getByLabelText<HTMLInputElement>(/^Row A seat 2 · Stalls · \$45\.00/).labels?.[0]?.textContent).toBe(
      'Row A seat 2 · Stalls · $45.00 · passed on to robin@example.test, who holds it now',
    );
    expect(within(picker).getByLabelText<HTMLInputElement>(/^Row A seat 3/).labels?.[0]?.textContent).toBe('Row A seat 3 · Stalls · $45.00');
  });
});
