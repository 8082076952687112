import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApi, testEvent } from '../../test-utils';
import { PricingForms } from './PricingForms';

const stalls = { id: '77777777-7777-4777-8777-777777777777', name: 'Stalls', priceCents: 4500, currency: 'USD', hidden: false };
const circle = { id: '88888888-8888-4888-8888-888888888888', name: 'Circle', priceCents: 7000, currency: 'USD', hidden: true };

describe('PricingForms', () => {
  it('marks a tier presale only: an unsaved change, sent with the tiers, and shown as saved', async () => {
    const user = userEvent.setup();
    const event = testEvent({ tiers: [stalls, circle] });
    const fake = fakeApi({ 'pricing.setTiers': ({ tiers }) => tiers.map((t, i) => ({ ...t, id: t.id ?? `new-${i}`, hidden: t.hidden ?? false })) });
    renderWithApi(<PricingForms event={event} />, fake.link, { route: '/staff/events' });

    const form = screen.getByRole('form', { name: 'Price tiers' });
    const boxes = within(form).getAllByRole<HTMLInputElement>('checkbox', { name: 'Presale only (needs a code)' });
    expect(boxes.map((b) => b.checked)).toEqual([false, true]);
    const save = within(form).getByRole('button', { name: 'Save tiers' });
    expect(save.hasAttribute('disabled')).toBe(true);

    // Ticking is a change to save; ticking back is none.
    await user.click(boxes[0]!);
    expect(save.hasAttribute('disabled')).toBe(false);
    await user.click(boxes[0]!);
    expect(save.hasAttribute('disabled')).toBe(true);

    await user.click(boxes[0]!);
    await user.click(boxes[1]!);
    await user.click(save);
    expect(await screen.findByText('Price tiers saved.')).toBeTruthy();
    expect(fake.callsTo('pricing.setTiers')).toMatchObject([
      {
        input: {
          eventId: event.id,
          tiers: [
            { id: stalls.id, name: 'Stalls', priceCents: 4500, currency: 'USD', hidden: true },
            { id: circle.id, name: 'Circle', priceCents: 7000, currency: 'USD', hidden: false },
          ],
        },
      },
    ]);
    expect(within(form).getByRole('button', { name: /Saved/ }).hasAttribute('disabled')).toBe(true);
    expect(
      within(form)
        .getAllByRole<HTMLInputElement>('checkbox')
        .map((b) => b.checked),
    ).toEqual([true, false]);
  });
});
