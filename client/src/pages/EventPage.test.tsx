import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { SeatMapData } from '../features/seatmap/SeatMap';
import type { Seat } from '../lib/seats';
import type { CompactSeatMap } from '../../../shared/seat-map';
import { ApiError, fakeApi, renderWithApi, testEvent, testUser, type Handler } from '../test-utils';
import { EventPage } from './EventPage';

const eventId = '33333333-3333-4333-8333-333333333333';
const tier = { id: 't1', name: 'Front', priceCents: 12000, currency: 'USD', hidden: false };

function seatMap(held: Seat[] = [], taken: Seat[] = []): SeatMapData {
  const is = (list: Seat[], row: string, n: number) => list.some((s) => s.row === row && s.number === n);
  return {
    eventId,
    holdMinutes: 10,
    tiers: [tier],
    rows: ['A', 'B'].map((row) => ({
      name: row,
      seats: Array.from({ length: 6 }, (_, i) => ({
        number: i + 1,
        tierId: 't1',
        status: is(held, row, i + 1) || is(taken, row, i + 1) ? ('RESERVED' as const) : ('AVAILABLE' as const),
        mine: is(held, row, i + 1),
      })),
    })),
  };
}

/** The map as the server sends it to the browser (shared/seat-map.ts). */
function compact(map: SeatMapData): CompactSeatMap {
  const letter = { AVAILABLE: 'A', RESERVED: 'R', SOLD: 'S' } as const;
  return {
    eventId: map.eventId,
    version: '1.0',
    holdMinutes: map.holdMinutes,
    tiers: map.tiers,
    rows: map.rows.map((row) => ({
      name: row.name,
      first: row.seats[0]!.number,
      status: row.seats.map((s) => letter[s.status]).join(''),
      tiers: row.seats.map((s) => map.tiers.findIndex((t) => t.id === s.tierId)),
    })),
    mine: map.rows.flatMap((row) => row.seats.filter((s) => s.mine).map((s) => ({ row: row.name, number: s.number }))),
  };
}

/** For the tests that never hold seats. */
const noHold: Handler<'tickets.reserve'> = () => {
  throw new Error('tickets.reserve was not expected');
};

function setup(reserve: Handler<'tickets.reserve'>) {
  let held: Seat[] = [];
  let taken: Seat[] = [];
  const api = fakeApi({
    'auth.me': () => testUser,
    'events.byId': () => testEvent({ id: eventId, tiers: [tier] }),
    'inventory.seatMapCompact': () => compact(seatMap(held, taken)),
    'pricing.quote': ({ seats }) => {
      const subtotal = seats.length * 12000;
      const discount = seats.length >= 3 ? subtotal / 10 : 0;
      return {
        lines: seats.map((s) => ({ ...s, tierName: 'Front', priceCents: 12000 })),
        subtotalCents: subtotal,
        percentOff: discount ? 10 : 0,
        discountCents: discount,
        totalCents: subtotal - discount,
        currency: 'USD',
        voucher: null,
      };
    },
    'tickets.reserve': async (input) => {
      const result = await reserve(input);
      held = [...held, ...input.seats];
      return result;
    },
  });
  const takeSeat = (seat: Seat) => (taken = [...taken, seat]);
  return { api, takeSeat };
}

const seat = (name: string) => screen.getByRole('button', { name: new RegExp(`^${name},`) });

describe('EventPage', () => {
  it('quotes the chosen seats live, with the group discount', async () => {
    const user = userEvent.setup();
    const { api } = setup(noHold);
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    await user.click(await screen.findByRole('button', { name: 'Row A seat 1, Front, $120.00, available' }));
    const side = screen.getByRole('complementary');
    expect(await within(side).findByText('$120.00', { selector: '.quote-total dd' })).toBeTruthy();
    await user.click(seat('Row A seat 2'));
    await user.click(seat('Row A seat 3'));

    expect(await within(side).findByText('$324.00')).toBeTruthy();
    expect(within(side).getByText('Group discount (10% off)')).toBeTruthy();
    expect(within(side).getByRole('button', { name: 'Hold 3 seats' })).toBeTruthy();
  });

  it('holds the seats, marks them as the visitor’s and counts down to the expiry', async () => {
    const user = userEvent.setup();
    const expiresAt = new Date(Date.now() + 4 * 60_000 + 30_000).toISOString();
    const { api } = setup(({ seats }) => ({ holdId: 'h1', expiresAt, seats }));
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    await user.click(await screen.findByRole('button', { name: 'Row B seat 2, Front, $120.00, available' }));
    await user.click(screen.getByRole('button', { name: 'Hold 1 seat' }));

    expect(await screen.findByText('1 seat held for you')).toBeTruthy();
    expect(screen.getByRole('timer').textContent).toMatch(/^4:(30|29|28)$/);
    expect(await screen.findByRole('button', { name: 'Row B seat 2, Front, $120.00, held by you' })).toBeTruthy();
    expect(api.callsTo('tickets.reserve')[0]!.input).toEqual({ eventId, seats: [{ row: 'B', number: 2 }] });
    expect(screen.getByRole('button', { name: 'Buy this seat' })).toBeTruthy();
  });

  it('keeps the other choices and says which seats were taken when a hold conflicts', async () => {
    const user = userEvent.setup();
    const { api, takeSeat } = setup(() => {
      takeSeat({ row: 'A', number: 5 });
      throw new ApiError('Some seats are no longer available.', 'CONFLICT', 409, { unavailable: [{ row: 'A', number: 5 }] });
    });
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    await user.click(await screen.findByRole('button', { name: 'Row A seat 5, Front, $120.00, available' }));
    await user.click(seat('Row A seat 6'));
    await user.click(screen.getByRole('button', { name: 'Hold 2 seats' }));

    expect((await screen.findByText(/These seats were just taken: A5\./)).textContent).toContain('Your other choices are still selected.');
    const list = screen.getByRole('list', { name: 'Selected seats' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.firstChild!.textContent),
    ).toEqual(['Row A · Seat 6']);
    expect(await screen.findByRole('button', { name: 'Row A seat 5, Front, $120.00, reserved' })).toBeTruthy();
  });

  it('stops at ten seats and says why', async () => {
    const user = userEvent.setup();
    const { api } = setup(noHold);
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    await screen.findByRole('button', { name: /^Row A seat 1,/ });
    for (const row of ['A', 'B']) for (let n = 1; n <= 6; n++) await user.click(seat(`Row ${row} seat ${n}`));

    expect(screen.getByText('You can choose up to 10 seats at a time.')).toBeTruthy();
    expect(within(screen.getByRole('list', { name: 'Selected seats' })).getAllByRole('listitem')).toHaveLength(10);
  });
});

describe('EventPage with a presale', () => {
  const presaleTier = { id: 't2', name: 'Presale', priceCents: 7000, currency: 'USD', hidden: true };

  /** Row A on general sale (Front), row B a presale (hidden tier); PRESALE opens it, anything else is refused. */
  function presaleSetup(reserve: Handler<'tickets.reserve'>) {
    let held: Seat[] = [];
    const map = (): SeatMapData => ({
      eventId,
      holdMinutes: 10,
      tiers: [tier, presaleTier],
      rows: ['A', 'B'].map((row) => ({
        name: row,
        seats: Array.from({ length: 4 }, (_, i) => {
          const mine = held.some((s) => s.row === row && s.number === i + 1);
          return { number: i + 1, tierId: row === 'A' ? 't1' : 't2', status: mine ? ('RESERVED' as const) : ('AVAILABLE' as const), mine };
        }),
      })),
    });
    const api = fakeApi({
      'auth.me': () => testUser,
      'events.byId': () => testEvent({ id: eventId, tiers: [tier, presaleTier] }),
      'inventory.seatMapCompact': () => compact(map()),
      'pricing.quote': ({ seats, code }) => ({
        lines: seats.map((s) => ({ ...s, tierName: s.row === 'A' ? 'Front' : 'Presale', priceCents: s.row === 'A' ? 12000 : 7000 })),
        subtotalCents: 7000 * seats.length,
        percentOff: 0,
        discountCents: 0,
        totalCents: 7000 * seats.length,
        currency: 'USD',
        voucher: code ? { code, kind: 'percent' as const, value: 0 } : null,
      }),
      'vouchers.unlock': ({ code }) => {
        if (code !== 'PRESALE') throw new ApiError('This code is not valid for this event.', 'CONFLICT', 409, { reason: 'VOUCHER_INVALID' });
        return { code, tierIds: ['t2'] };
      },
      'tickets.reserve': async (input) => {
        const result = await reserve(input);
        held = [...held, ...input.seats];
        return result;
      },
    });
    return api;
  }

  it('locks the presale seats until a code opens them; then a hold sends the code, and so does the checkout', async () => {
    const user = userEvent.setup();
    const expiresAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const api = presaleSetup(({ seats }) => ({ holdId: 'h1', expiresAt, seats }));
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    // Shown with their tier and price, but locked: pressing one chooses nothing.
    const locked = await screen.findByRole('button', { name: 'Row B seat 2, Presale, $70.00, presale, needs a code' });
    expect(locked.getAttribute('aria-disabled')).toBe('true');
    await user.click(locked);
    expect(screen.queryByRole('list', { name: 'Selected seats' })).toBeNull();
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('Presale (code needed)');
    expect(screen.getByText(/8 seats, 4 available, 4 more in a presale \(code needed\)\./)).toBeTruthy();
    // Best available offers only what is on general sale.
    expect(within(screen.getByRole('form', { name: 'Best available' })).queryByRole('option', { name: /Presale/ })).toBeNull();

    // A wrong code is refused beside the field, in the server's words.
    const form = screen.getByRole('form', { name: 'Have a presale code?' });
    const field = within(form).getByLabelText('Presale code');
    await user.type(field, 'guess');
    await user.click(within(form).getByRole('button', { name: 'Unlock' }));
    const refusal = await within(form).findByText('This code is not valid for this event.');
    expect(field.getAttribute('aria-describedby')).toContain(refusal.id);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(api.callsTo('vouchers.unlock')).toMatchObject([{ input: { eventId, code: 'GUESS' } }]);

    await user.clear(field);
    await user.type(field, ' presale ');
    await user.click(within(form).getByRole('button', { name: 'Unlock' }));
    const opened = await screen.findByText(/unlocks Presale: choose its seats on the map\./);
    expect(opened.getAttribute('role')).toBe('status');
    expect(opened.textContent).toBe('Code PRESALE unlocks Presale: choose its seats on the map.');
    expect(screen.queryByRole('form', { name: 'Have a presale code?' })).toBeNull();
    expect(JSON.parse(sessionStorage.getItem(`tessera.presale.${eventId}`)!)).toEqual({ code: 'PRESALE', tierIds: ['t2'] });
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).not.toContain('Presale (code needed)');

    await user.click(screen.getByRole('button', { name: 'Row B seat 2, Presale, $70.00, available' }));
    await user.click(screen.getByRole('button', { name: 'Hold 1 seat' }));
    expect(await screen.findByText('1 seat held for you')).toBeTruthy();
    expect(api.callsTo('tickets.reserve')[0]!.input).toEqual({ eventId, seats: [{ row: 'B', number: 2 }], code: 'PRESALE' });

    // The checkout gets the code the held seats need: its purchase carries it.
    await user.click(screen.getByRole('button', { name: 'Buy this seat' }));
    expect(JSON.parse(sessionStorage.getItem('tessera.checkout')!)).toMatchObject({ eventId, seats: [{ row: 'B', number: 2 }], code: 'PRESALE' });
  });

  it('a code remembered in this tab opens the seats at once; a presale refusal from the hold is said, and the seats lock again', async () => {
    const user = userEvent.setup();
    sessionStorage.setItem(`tessera.presale.${eventId}`, JSON.stringify({ code: 'PRESALE', tierIds: ['t2'] }));
    const api = presaleSetup(() => {
      throw new ApiError('This seat is in a presale: B1. Enter a presale code that unlocks it.', 'CONFLICT', 409, {
        reason: 'SEATS_LOCKED',
        locked: [{ row: 'B', number: 1 }],
      });
    });
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    await user.click(await screen.findByRole('button', { name: 'Row B seat 1, Presale, $70.00, available' }));
    await user.click(screen.getByRole('button', { name: 'Hold 1 seat' }));

    expect(await screen.findByText('This seat is in a presale: B1. Enter a presale code that unlocks it.')).toBeTruthy();
    expect(api.callsTo('tickets.reserve')[0]!.input).toMatchObject({ code: 'PRESALE' });
    expect(await screen.findByRole('button', { name: 'Row B seat 1, Presale, $70.00, presale, needs a code' })).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Selected seats' })).toBeNull();
    expect(screen.getByRole('form', { name: 'Have a presale code?' })).toBeTruthy();
    expect(sessionStorage.getItem(`tessera.presale.${eventId}`)).toBeNull();
  });
});
