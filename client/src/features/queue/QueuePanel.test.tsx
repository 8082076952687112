import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { TRPCLink } from '@trpc/client';
import { observable, type Observer } from '@trpc/server/observable';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../../../../server/routers/router';
import type { QueueStatus } from '../../../../shared/queue';
import type { CompactSeatMap } from '../../../../shared/seat-map';
import { saveCheckout } from '../../lib/holds';
import { CheckoutPage } from '../../pages/CheckoutPage';
import { EventPage } from '../../pages/EventPage';
import { ApiError, fakeApi, renderWithApi, testEvent, testUser, type Handlers } from '../../test-utils';
import { formatClock, formatWait } from './format';
import { queuePassKey } from './pass';

const eventId = '33333333-3333-4333-8333-333333333333';
const tier = { id: 't1', name: 'Front', priceCents: 12000, currency: 'USD', hidden: false };
const startsAt = '2027-04-01T09:00:00.000Z';
const room = { eventId, startsAt, ratePerMinute: 1, doorsOpen: false };
const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const pass = () => ({ token: 'pass-token-1', useBy: soon(5), expiresAt: soon(20) });

function status(overrides: Partial<QueueStatus>): QueueStatus {
  return {
    eventId,
    state: 'waiting',
    position: null,
    waiting: 3,
    ratePerMinute: 1,
    startsAt,
    estimatedWaitSeconds: null,
    pass: null,
    ...overrides,
  };
}

/** Row A, four seats on general sale; `held` are the visitor's. */
function compactMap(held: number[] = []): CompactSeatMap {
  return {
    eventId,
    version: '1.0',
    holdMinutes: 10,
    tiers: [tier],
    rows: [{ name: 'A', first: 1, status: [1, 2, 3, 4].map((n) => (held.includes(n) ? 'R' : 'A')).join(''), tiers: [0, 0, 0, 0] }],
    mine: held.map((number) => ({ row: 'A', number })),
  };
}

/**
 * `queue.status` as the server streams it: the test says each next status (`push`); every other
 * procedure is answered by the fake API. A status pushed before the page subscribes is sent first.
 */
function withQueueStream(base: TRPCLink<AppRouter>) {
  const observers = new Set<Observer<unknown, unknown>>();
  let last: QueueStatus | null = null;
  const inputs: unknown[] = [];
  const link: TRPCLink<AppRouter> = (runtime) => {
    const inner = base(runtime);
    return (opts) => {
      if (opts.op.path !== 'queue.status') return inner(opts);
      inputs.push(opts.op.input);
      return observable((observer) => {
        const o = observer as Observer<unknown, unknown>;
        observers.add(o);
        if (last) o.next({ result: { type: 'data', data: last } });
        return () => observers.delete(o);
      });
    };
  };
  const push = (next: QueueStatus) =>
    act(() => {
      last = next;
      for (const o of observers) o.next({ result: { type: 'data', data: next } });
    });
  return { link, push, inputs, first: (next: QueueStatus) => (last = next), listening: () => observers.size };
}

function setup(handlers: Handlers = {}) {
  let held: number[] = [];
  const api = fakeApi({
    'auth.me': () => testUser,
    'events.byId': () => testEvent({ id: eventId, tiers: [tier] }),
    'queue.settings': () => room,
    'inventory.seatMapCompact': () => compactMap(held),
    'pricing.quote': ({ seats }) => ({
      lines: seats.map((s) => ({ ...s, tierName: 'Front', priceCents: 12000 })),
      subtotalCents: seats.length * 12000,
      percentOff: 0,
      discountCents: 0,
      totalCents: seats.length * 12000,
      currency: 'USD',
      voucher: null,
    }),
    'tickets.reserve': ({ seats }) => {
      held = [...held, ...seats.map((s) => s.number)];
      return { holdId: 'h1', expiresAt: soon(10), seats };
    },
    ...handlers,
  });
  const stream = withQueueStream(api.link);
  const render = () => renderWithApi(<EventPage pollMs={60_000} />, stream.link, { route: `/events/${eventId}`, path: '/events/:id' });
  return { api, stream, render };
}

const seatMapShown = () => screen.queryAllByRole('button', { name: /^Row A seat \d, Front/ }).length > 0;

describe('the waiting room on the event page', () => {
  it('signed out: explains the queue and links to sign in; no seat map is asked for', async () => {
    const api = fakeApi({ 'events.byId': () => testEvent({ id: eventId, tiers: [tier] }), 'queue.settings': () => room });
    renderWithApi(<EventPage pollMs={60_000} />, api.link, { route: `/events/${eventId}`, path: '/events/:id' });

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    expect(panel.textContent).toContain('Sign in to take your place in the queue.');
    expect(within(panel).getByRole('link', { name: 'Sign in to join the queue' }).getAttribute('href')).toBe(
      `/login?next=${encodeURIComponent(`/events/${eventId}`)}`,
    );
    expect(within(panel).queryByRole('button', { name: 'Join the queue' })).toBeNull();
    expect(seatMapShown()).toBe(false);
    expect(api.callsTo('inventory.seatMapCompact')).toHaveLength(0);
    expect(api.callsTo('queue.status')).toHaveLength(0);
  });

  it('signed in: joins, follows the place live as it falls, then is let in: the seat map shows and holds carry the pass', async () => {
    const user = userEvent.setup();
    const admitted = pass();
    const { api, stream, render } = setup({ 'queue.join': () => status({ state: 'waiting', position: 3, estimatedWaitSeconds: 180 }) });
    stream.first(status({ state: 'none', waiting: 2 }));
    render();

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    expect(stream.inputs).toEqual([{ eventId }]);
    expect(api.callsTo('inventory.seatMapCompact')).toHaveLength(0);
    await user.click(await within(panel).findByRole('button', { name: 'Join the queue' }));

    const live = panel.querySelector('[aria-live="polite"]')!;
    await waitFor(() => expect(live.textContent).toContain('You are number 3 in line.'));
    expect(live.textContent).toContain('Estimated wait: about 3 minutes.');
    expect(api.callsTo('queue.join')).toEqual([{ path: 'queue.join', input: { eventId } }]);
    expect(within(panel).queryByRole('button', { name: /Join/ })).toBeNull();

    // The stream's `none`, read before the join, does not undo it.
    stream.push(status({ state: 'none' }));
    expect(live.textContent).toContain('You are number 3 in line.');
    stream.push(status({ state: 'waiting', position: 2, estimatedWaitSeconds: 120 }));
    expect(live.textContent).toContain('You are number 2 in line.');
    expect(live.textContent).toContain('about 2 minutes');
    stream.push(status({ state: 'waiting', position: 1, estimatedWaitSeconds: 40 }));
    expect(live.textContent).toContain('You are number 1 in line.');
    expect(live.textContent).toContain('about 40 seconds');
    expect(seatMapShown()).toBe(false);

    stream.push(status({ state: 'admitted', pass: admitted }));
    await user.click(await screen.findByRole('button', { name: 'Row A seat 2, Front, $120.00, available' }));
    expect(screen.queryByRole('region', { name: 'Waiting room' })).toBeNull();
    expect(screen.getByText(/^Your pass:/).parentElement!.textContent).toBe(
      `Your pass: hold seats by ${formatClock(admitted.useBy)}, buy by ${formatClock(admitted.expiresAt)}.`,
    );
    expect(api.callsTo('inventory.seatMapCompact').map((c) => c.input)).toEqual([{ eventId, pass: admitted.token }]);
    expect(JSON.parse(sessionStorage.getItem(queuePassKey(eventId))!)).toEqual(admitted);

    await user.click(screen.getByRole('button', { name: 'Hold 1 seat' }));
    expect(await screen.findByText('1 seat held for you')).toBeTruthy();
    expect(api.callsTo('tickets.reserve')[0]!.input).toEqual({ eventId, seats: [{ row: 'A', number: 2 }], pass: admitted.token });

    // The stream signs the same pass afresh as it speaks: the map is not read again for a new token.
    const reads = api.callsTo('inventory.seatMapCompact').length;
    stream.push(status({ state: 'shopping', waiting: 5, pass: { ...admitted, token: 'pass-token-2' } }));
    expect(JSON.parse(sessionStorage.getItem(queuePassKey(eventId))!).token).toBe(admitted.token);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      api
        .callsTo('inventory.seatMapCompact')
        .slice(reads)
        .filter((c) => (c.input as { pass?: string }).pass !== admitted.token),
    ).toEqual([]);
  });

  it('before the start: says the early arrivals are drawn at random, and how many wait', async () => {
    const { stream, render } = setup();
    stream.first(status({ state: 'draw', waiting: 12, estimatedWaitSeconds: 75 }));
    render();

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    const live = panel.querySelector('[aria-live="polite"]')!;
    await waitFor(() =>
      expect(live.textContent).toMatch(/^You’re in\. The order of everyone who arrived before .+ is drawn at random at the start; 12 waiting\.$/),
    );
    expect(live.textContent).toContain('2027');
    expect(within(panel).queryByRole('button', { name: /Join/ })).toBeNull();
  });

  it('a pass that lapsed, or was spent on an order, is explained; joining again asks for a new place', async () => {
    const user = userEvent.setup();
    sessionStorage.setItem(queuePassKey(eventId), JSON.stringify(pass()));
    const { api, stream, render } = setup({ 'queue.join': () => status({ state: 'waiting', position: 7, estimatedWaitSeconds: 420 }) });
    stream.first(status({ state: 'lapsed' }));
    render();

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    await within(panel).findByText(/Your turn came, but your pass ran out before seats were held or bought/);
    // The pass this tab held is over.
    expect(sessionStorage.getItem(queuePassKey(eventId))).toBeNull();
    expect(seatMapShown()).toBe(false);

    stream.push(status({ state: 'done' }));
    expect(panel.textContent).toContain('Your pass was used for your order. To buy more tickets, join the queue again.');
    await user.click(within(panel).getByRole('button', { name: 'Join again' }));
    await within(panel).findByText('You are number 7 in line.');
    expect(api.callsTo('queue.join')).toHaveLength(1);
  });

  it('a hold refused for want of a pass drops it and brings the queue back, in the server’s words', async () => {
    const user = userEvent.setup();
    const stored = pass();
    sessionStorage.setItem(queuePassKey(eventId), JSON.stringify(stored));
    const { api, stream, render } = setup({
      'tickets.reserve': () => {
        throw new ApiError('Your admission pass has expired: join the queue again for a new place.', 'FORBIDDEN', 403, {
          reason: 'QUEUE_PASS_REQUIRED',
          queue: true,
        });
      },
      'queue.join': () => status({ state: 'waiting', position: 4, estimatedWaitSeconds: 240 }),
    });
    render();

    // A reload within the pass's window: the map shows at once, read with the stored pass.
    await user.click(await screen.findByRole('button', { name: 'Row A seat 1, Front, $120.00, available' }));
    expect(api.callsTo('inventory.seatMapCompact')[0]!.input).toEqual({ eventId, pass: stored.token });
    expect(api.callsTo('queue.join')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Hold 1 seat' }));

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    expect(panel.textContent).toContain('Your admission pass has expired: join the queue again for a new place.');
    expect(sessionStorage.getItem(queuePassKey(eventId))).toBeNull();
    expect(seatMapShown()).toBe(false);
    expect(stream.listening()).toBe(1);
    await user.click(within(panel).getByRole('button', { name: 'Join again' }));
    await within(panel).findByText('You are number 4 in line.');
  });

  it('a seat map refused for want of a pass (a room switched on meanwhile) shows the queue', async () => {
    // No room when the page first read it; switched on by the time the map is refused.
    let reads = 0;
    const { api, stream, render } = setup({
      'queue.settings': () => (reads++ === 0 ? null : room),
      'inventory.seatMapCompact': () => {
        throw new ApiError('This on-sale has a waiting room: join the queue, and you will be let in in turn.', 'FORBIDDEN', 403, {
          reason: 'QUEUE_PASS_REQUIRED',
        });
      },
    });
    stream.first(status({ state: 'none', waiting: 0 }));
    render();

    const panel = await screen.findByRole('region', { name: 'Waiting room' });
    expect(panel.textContent).toContain('This on-sale has a waiting room: join the queue, and you will be let in in turn.');
    expect(within(panel).getByRole('button', { name: 'Join again' })).toBeTruthy();
    expect(api.callsTo('inventory.seatMapCompact').map((c) => c.input)).toEqual([{ eventId }]);
    expect(api.callsTo('queue.settings')).toHaveLength(2);
  });

  it('staff skip the queue: the map shows without a pass, and no place is followed', async () => {
    const { api, stream, render } = setup({ 'auth.me': () => ({ ...testUser, role: 'STAFF', staffStatus: 'APPROVED' }) });
    render();

    expect(await screen.findByRole('button', { name: 'Row A seat 1, Front, $120.00, available' })).toBeTruthy();
    expect(screen.getByText('This on-sale has a waiting room: shoppers queue for a pass. As staff, you skip it.')).toBeTruthy();
    expect(api.callsTo('inventory.seatMapCompact')[0]!.input).toEqual({ eventId });
    expect(stream.inputs).toEqual([]);
  });

  it('without a room, or with its doors open, the page is as it always was', async () => {
    for (const settings of [null, { ...room, doorsOpen: true }]) {
      const { api, stream, render } = setup({ 'queue.settings': () => settings });
      sessionStorage.setItem(queuePassKey(eventId), JSON.stringify(pass()));
      const { unmount } = render();
      expect(await screen.findByRole('button', { name: 'Row A seat 1, Front, $120.00, available' })).toBeTruthy();
      expect(screen.queryByRole('region', { name: 'Waiting room' })).toBeNull();
      expect(screen.queryByText(/^Your pass:/)).toBeNull();
      expect(api.callsTo('inventory.seatMapCompact')[0]!.input).toEqual({ eventId });
      expect(stream.inputs).toEqual([]);
      unmount();
    }
  });

  it('the open doors, said by the stream, bring the seat map without a pass', async () => {
    let settings = room;
    const { api, stream, render } = setup({ 'queue.settings': () => settings });
    stream.first(status({ state: 'waiting', position: 9, estimatedWaitSeconds: 540 }));
    render();
    await screen.findByText('You are number 9 in line.');

    settings = { ...room, doorsOpen: true };
    stream.push(status({ state: 'open' }));
    expect(await screen.findByRole('button', { name: 'Row A seat 1, Front, $120.00, available' })).toBeTruthy();
    expect(api.callsTo('inventory.seatMapCompact')[0]!.input).toEqual({ eventId });
  });
});

describe('the waiting room at the checkout', () => {
  const seats = [{ row: 'A', number: 2 }];
  const quote = {
    lines: seats.map((s) => ({ ...s, tierName: 'Front', priceCents: 12000 })),
    subtotalCents: 12000,
    percentOff: 0,
    discountCents: 0,
    totalCents: 12000,
    currency: 'USD',
    voucher: null,
  };

  it('the purchase carries the pass; a refused pass is dropped and the way back is the queue', async () => {
    const user = userEvent.setup();
    const stored = pass();
    sessionStorage.setItem(queuePassKey(eventId), JSON.stringify(stored));
    saveCheckout({ eventId, seats, idempotencyKey: 'key-q' });
    const api = fakeApi({
      'auth.me': () => testUser,
      'events.byId': () => testEvent({ id: eventId }),
      'pricing.quote': () => quote,
      'tickets.purchase': () => {
        throw new ApiError('Your admission pass has expired: join the queue again for a new place.', 'FORBIDDEN', 403, {
          reason: 'QUEUE_PASS_REQUIRED',
        });
      },
    });
    renderWithApi(<CheckoutPage />, api.link, { route: '/checkout' });

    expect((await screen.findByText(/^Your waiting-room pass lets you buy until/)).textContent).toBe(
      `Your waiting-room pass lets you buy until ${formatClock(stored.expiresAt)}.`,
    );
    await user.click(screen.getByLabelText('These details are right'));
    await user.click(await screen.findByRole('button', { name: 'Place order · $120.00' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Your admission pass has expired: join the queue again for a new place. Back to the queue');
    expect(within(alert).getByRole('link', { name: 'Back to the queue' }).getAttribute('href')).toBe(`/events/${eventId}`);
    expect(api.callsTo('tickets.purchase')[0]!.input).toEqual({ eventId, seats, idempotencyKey: 'key-q', pass: stored.token });
    expect(sessionStorage.getItem(queuePassKey(eventId))).toBeNull();
    expect(screen.queryByText(/^Your waiting-room pass/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Place order · $120.00' }).hasAttribute('disabled')).toBe(true);
  });
});

describe('formatWait', () => {
  it('is only as precise as an estimate', () => {
    expect([3, 40, 60, 89, 180, 3599, 5400, 7260].map(formatWait)).toEqual([
      'a few seconds',
      'about 40 seconds',
      'about 1 minute',
      'about 1 minute',
      'about 3 minutes',
      'about 60 minutes',
      'about 1 hour 30 minutes',
      'about 2 hours 1 minute',
    ]);
  });
});
