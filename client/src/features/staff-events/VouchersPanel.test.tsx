import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RouterOutputs } from '../../trpc';
import { fakeApi, renderWithApi, testEvent } from '../../test-utils';
import { VouchersPanel } from './VouchersPanel';

type Voucher = RouterOutputs['vouchers']['list'][number];

const tier = { id: '77777777-7777-4777-8777-777777777777', name: 'Circle', priceCents: 7000, currency: 'USD', hidden: true };
const event = testEvent({ tiers: [tier] });

function voucher(overrides: Partial<Voucher>): Voucher {
  return {
    id: '99999999-9999-4999-8999-999999999999',
    eventId: event.id,
    code: 'SAVE10',
    kind: 'percent',
    value: 10,
    tierIds: [],
    validFrom: null,
    validUntil: null,
    maxUses: null,
    maxUsesPerUser: null,
    uses: 0,
    active: true,
    unlocksHidden: false,
    note: null,
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}

function setup() {
  return fakeApi({
    'vouchers.list': () => [
      voucher({ id: '99999999-9999-4999-8999-999999999991', code: 'EARLYBIRD', value: 0, unlocksHidden: true, tierIds: [tier.id] }),
      voucher({}),
    ],
    'vouchers.create': (input) => voucher({ ...input, code: input.code.toUpperCase(), unlocksHidden: input.unlocksHidden ?? false }),
    'vouchers.generate': ({ count }) => ({ created: count, codes: [] }),
  });
}

describe('VouchersPanel', () => {
  it('lists which codes unlock presale seats', async () => {
    renderWithApi(<VouchersPanel event={event} />, setup().link, { route: '/staff/events' });
    const presale = (await screen.findByText('EARLYBIRD', { selector: 'code' })).closest('tr')!;
    expect(within(presale).getByText('Presale', { selector: '.badge' })).toBeTruthy();
    expect(presale.textContent).toContain('No discount');
    expect(presale.textContent).toContain('Circle');
    const plain = screen.getByText('SAVE10', { selector: 'code' }).closest('tr')!;
    expect(within(plain).queryByText('Presale')).toBeNull();
  });

  it('makes a presale code: 0% is refused without "Unlocks presale seats", taken with it, and sent with unlocksHidden', async () => {
    const user = userEvent.setup();
    const fake = setup();
    renderWithApi(<VouchersPanel event={event} />, fake.link, { route: '/staff/events' });

    const form = screen.getByRole('form', { name: 'New code' });
    await user.type(within(form).getByLabelText('Code'), 'earlybird2');
    await user.type(within(form).getByLabelText('Percent'), '0');
    await user.click(within(form).getByRole('button', { name: 'Create code' }));
    // Checked here with the API's rule, nothing sent.
    expect(await within(form).findByText('A percentage from 1 to 100.')).toBeTruthy();
    expect(fake.callsTo('vouchers.create')).toHaveLength(0);

    await user.click(within(form).getByLabelText(/Unlocks presale seats/));
    expect(within(form).getByText('0 for a code that only unlocks presale seats.')).toBeTruthy();
    await user.click(within(form).getByRole('button', { name: 'Create code' }));
    expect(await screen.findByText('Code EARLYBIRD2 is ready: it unlocks presale seats.')).toBeTruthy();
    expect(fake.callsTo('vouchers.create')).toMatchObject([
      { input: { eventId: event.id, code: 'EARLYBIRD2', kind: 'percent', value: 0, unlocksHidden: true } },
    ]);

    // Above 100 is still refused, presale or not.
    await user.type(within(form).getByLabelText('Code'), 'toomuch');
    await user.type(within(form).getByLabelText('Percent'), '101');
    await user.click(within(form).getByRole('button', { name: 'Create code' }));
    expect(await within(form).findByText('A percentage from 0 to 100.')).toBeTruthy();
    expect(fake.callsTo('vouchers.create')).toHaveLength(1);
  });

  it('makes single-use presale codes in bulk, 0% only when they unlock presale seats', async () => {
    const user = userEvent.setup();
    const fake = setup();
    renderWithApi(<VouchersPanel event={event} />, fake.link, { route: '/staff/events' });

    const form = screen.getByRole('form', { name: 'Single-use codes' });
    await user.type(within(form).getByLabelText('Percent off'), '0');
    await user.click(within(form).getByRole('button', { name: 'Make codes' }));
    expect(await within(form).findByText('A percentage from 1 to 100.')).toBeTruthy();
    expect(fake.callsTo('vouchers.generate')).toHaveLength(0);

    await user.click(within(form).getByLabelText(/Unlocks presale seats/));
    await user.click(within(form).getByRole('button', { name: 'Make codes' }));
    expect(await screen.findByText('100 single-use codes made. Download them as CSV below.')).toBeTruthy();
    expect(fake.callsTo('vouchers.generate')).toMatchObject([
      { input: { eventId: event.id, count: 100, kind: 'percent', value: 0, unlocksHidden: true } },
    ]);
  });
});
