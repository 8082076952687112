import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiError, fakeApi, renderWithApi, testUser, type Handlers } from '../test-utils';
import type { RouterOutputs } from '../trpc';
import { TicketsPage } from './TicketsPage';

type Order = RouterOutputs['orders']['mine'][number];
type Ticket = RouterOutputs['tickets']['mine'][number];

const eventId = '33333333-3333-4333-8333-333333333333';
const orderId = '44444444-4444-4444-8444-444444444444';
const transferId = '55555555-5555-4555-8555-555555555555';

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    barcode: 'TSR1-AAAA-BBBB',
    eventId,
    eventName: 'Lumen Quartet',
    startsAt: '2099-05-01T19:30:00Z',
    row: 'A',
    number: 1,
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

function order(tickets: Ticket[]): Order {
  return {
    number: 'TSR-7KQ4-2M',
    id: orderId,
    eventId,
    eventName: 'Lumen Quartet',
    status: 'PAID',
    subtotalCents: 9000,
    discountCents: 0,
    totalCents: 9000,
    currency: 'USD',
    createdAt: '2026-01-01T00:00:00Z',
    cancelledAt: null,
    paymentMethod: 'instant',
    paymentDueAt: null,
    paidAt: '2026-01-01T00:00:00Z',
    refundedCents: 0,
    voucherCode: null,
    tickets,
  };
}

/** My tickets with the given orders and held tickets; `extra` answers the mutations. */
function api(orders: Order[], mine: Ticket[], extra: Handlers = {}) {
  return fakeApi({ 'auth.me': () => testUser, 'orders.mine': () => orders, 'tickets.mine': () => mine, ...extra });
}

/** The card of one seat. */
async function card(row: string, number: number) {
  const seat = await screen.findByText(`Row ${row} · Seat ${number}`);
  return seat.closest('li')!;
}

describe('TicketsPage', () => {
  it('shows a ticket passed on without its (dead) code, and says to whom it went', async () => {
    const passed = ticket({
      number: 2,
      barcode: 'TSR1-OLD0-DEAD',
      status: 'TRANSFERRED',
      transferable: false,
      transfer: { id: transferId, email: 'robin@example.test', state: 'CLAIMED', sentAt: '2026-03-01T10:00:00Z', until: '2026-03-02T12:00:00Z' },
    });
    const tickets = [ticket(), passed];
    renderWithApi(<TicketsPage />, api([order(tickets)], tickets).link, { route: '/tickets' });

    const gone = await card('A', 2);
    expect(within(gone).getByText('Passed on', { selector: '.badge' })).toBeTruthy();
    expect(gone.textContent).toContain('Passed on to robin@example.test on Mar 2, 2026; this copy no longer opens the door.');
    expect(gone.querySelector('.qr')).toBeNull();
    expect(gone.textContent).not.toContain('TSR1-OLD0-DEAD');
    expect(within(gone).queryByRole('button')).toBeNull();

    // The other seat of the order still has its code, and may be sent on.
    const kept = await card('A', 1);
    expect(kept.querySelector('.qr')).not.toBeNull();
    expect(within(kept).getByRole('button', { name: 'PDF of row A seat 1' })).toBeTruthy();
    expect(within(kept).getByRole('button', { name: 'Send to someone row A seat 1' })).toBeTruthy();
  });

  it('a ticket sent and not claimed yet says so and can be taken back; the lists are read again', async () => {
    const user = userEvent.setup();
    const sent = ticket({
      transfer: { id: transferId, email: 'robin@example.test', state: 'PENDING', sentAt: '2026-03-01T10:00:00Z', until: '2099-05-01T19:30:00Z' },
    });
    const fake = api([order([sent])], [sent], { 'tickets.cancelTransfer': () => ({ ok: true as const }) });
    renderWithApi(<TicketsPage />, fake.link, { route: '/tickets' });

    const seat = await card('A', 1);
    expect(seat.textContent).toContain('Sent to robin@example.test — waiting for them to claim it (until');
    // It still opens the door until claimed, and may be sent again (to fix the address, say).
    expect(seat.querySelector('.qr')).not.toBeNull();
    expect(within(seat).getByRole('button', { name: 'Send again row A seat 1' })).toBeTruthy();

    await user.click(within(seat).getByRole('button', { name: 'Take back row A seat 1' }));
    expect(await screen.findByText('Taken back: the link sent to robin@example.test no longer works.')).toBeTruthy();
    expect(fake.callsTo('tickets.cancelTransfer')).toEqual([{ path: 'tickets.cancelTransfer', input: { id: transferId } }]);
    await waitFor(() => expect(fake.callsTo('tickets.mine')).toHaveLength(2));
    expect(fake.callsTo('orders.mine')).toHaveLength(2);
  });

  it('sends a ticket: the address is checked first, the server’s refusal shows beside the field, then it is sent', async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const fake = api([order([ticket()])], [ticket()], {
      'tickets.transfer': ({ email }) => {
        attempts += 1;
        if (attempts === 1) {
          throw new ApiError('Some fields are not valid.', 'BAD_REQUEST', 400, {
            reason: 'INVALID_INPUT',
            fieldErrors: { email: ['That is your own address: send the ticket to someone else’s.'] },
          });
        }
        return {
          transfer: { id: transferId, email, state: 'PENDING' as const, sentAt: '2026-03-01T10:00:00Z', until: '2099-05-01T19:30:00Z' },
          mailed: true,
        };
      },
    });
    renderWithApi(<TicketsPage />, fake.link, { route: '/tickets' });

    const seat = await card('A', 1);
    const open = within(seat).getByRole('button', { name: 'Send to someone row A seat 1' });
    await user.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    const form = screen.getByRole('form', { name: 'Send row A seat 1 to someone' });
    const email = within(form).getByLabelText('Their email');
    expect(document.activeElement).toBe(email);

    // Not an address: the form says so without asking the server.
    await user.type(email, 'robin');
    await user.click(within(form).getByRole('button', { name: 'Send ticket' }));
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsTo('tickets.transfer')).toHaveLength(0);

    await user.clear(email);
    await user.type(email, testUser.email);
    await user.click(within(form).getByRole('button', { name: 'Send ticket' }));
    const refusal = await within(form).findByText('That is your own address: send the ticket to someone else’s.');
    expect(email.getAttribute('aria-describedby')).toContain(refusal.id);

    await user.clear(email);
    await user.type(email, 'robin@example.test');
    await user.click(within(form).getByRole('button', { name: 'Send ticket' }));
    expect(await screen.findByText('Sent to robin@example.test. The ticket stays yours until they claim it.')).toBeTruthy();
    expect(screen.queryByRole('form', { name: 'Send row A seat 1 to someone' })).toBeNull();
    expect(fake.callsTo('tickets.transfer')[1]!.input).toEqual({ barcode: 'TSR1-AAAA-BBBB', email: 'robin@example.test' });
    await waitFor(() => expect(fake.callsTo('orders.mine')).toHaveLength(2));
  });

  it('says when the mail with the link could not be sent', async () => {
    const user = userEvent.setup();
    const fake = api([order([ticket()])], [ticket()], {
      'tickets.transfer': ({ email }) => ({
        transfer: { id: transferId, email, state: 'PENDING' as const, sentAt: '2026-03-01T10:00:00Z', until: '2099-05-01T19:30:00Z' },
        mailed: false,
      }),
    });
    renderWithApi(<TicketsPage />, fake.link, { route: '/tickets' });
    await user.click(within(await card('A', 1)).getByRole('button', { name: 'Send to someone row A seat 1' }));
    await user.type(screen.getByLabelText('Their email'), 'robin@example.test');
    await user.click(screen.getByRole('button', { name: 'Send ticket' }));
    expect((await screen.findByRole('alert')).textContent).toContain('the mail with its link could not be sent just now');
  });

  it('lists tickets sent to the viewer, with who sent them, their code and PDF; no empty state', async () => {
    const received = ticket({ orderId: '66666666-6666-4666-8666-666666666666', row: 'C', number: 7, receivedFrom: 'Alex Sender' });
    renderWithApi(<TicketsPage />, api([], [received]).link, { route: '/tickets' });

    const section = await screen.findByRole('region', { name: 'Tickets sent to you' });
    expect(within(section).getByRole('link', { name: 'Lumen Quartet' }).getAttribute('href')).toBe(`/events/${eventId}`);
    const seat = await card('C', 7);
    expect(seat.textContent).toContain('From Alex Sender');
    expect(seat.querySelector('.qr')).not.toBeNull();
    expect(within(seat).getByRole('button', { name: 'PDF of row C seat 7' })).toBeTruthy();
    expect(within(seat).getByRole('button', { name: 'Send to someone row C seat 7' })).toBeTruthy();
    expect(screen.queryByText('You have no tickets yet.')).toBeNull();
  });

  it('a pending box-office order shows its number as a QR code to show at the box office; its tickets have none yet', async () => {
    const unpaid = ticket({ status: 'PENDING', transferable: false });
    const pending: Order = {
      ...order([unpaid]),
      status: 'PENDING',
      paymentMethod: 'box_office',
      paymentDueAt: '2099-04-01T10:00:00Z',
      paidAt: null,
    };
    renderWithApi(<TicketsPage />, api([pending], [unpaid]).link, { route: '/tickets' });

    const notice = (await screen.findByText('Show this at the box office')).closest('.pay-later')!;
    const qr = await within(notice as HTMLElement).findByRole('img', { name: 'Order number TSR-7KQ4-2M as a QR code' });
    expect(qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(notice.textContent).toContain('at the box office, quoting your order number: TSR-7KQ4-2M.');
    // The seat itself has no code until the order is paid.
    expect((await card('A', 1)).querySelector('.qr')).toBeNull();
  });

  it('a pending bank-transfer order shows no QR code: its reference goes on the transfer', async () => {
    const unpaid = ticket({ status: 'PENDING', transferable: false });
    const pending: Order = {
      ...order([unpaid]),
      status: 'PENDING',
      paymentMethod: 'bank_transfer',
      paymentDueAt: '2099-04-01T10:00:00Z',
      paidAt: null,
    };
    renderWithApi(<TicketsPage />, api([pending], [unpaid]).link, { route: '/tickets' });
    expect((await screen.findByText(/with your order number as the payment reference/)).closest('.pay-later')!.querySelector('.qr')).toBeNull();
    expect(screen.queryByText('Show this at the box office')).toBeNull();
  });
});
