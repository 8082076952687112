import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { QueueSettings, QueueStats } from '../../../../shared/queue';
import { ApiError, fakeApi, renderWithApi, testEvent } from '../../test-utils';
import { WaitingRoomPanel } from './WaitingRoomPanel';

// The venue's clock is New York's: what staff type is read in it, whatever the browser's zone.
const event = testEvent({ timeZone: 'America/New_York' });
const room: QueueSettings = { eventId: event.id, startsAt: '2027-03-01T15:00:00.000Z', ratePerMinute: 120, doorsOpen: false };

function stats(overrides: Partial<QueueStats> = {}): QueueStats {
  return { ...room, waiting: 1234, admitted: 40, shopping: 25, done: 310, lapsed: 7, admittedLastMinute: 118, sold: 702, ...overrides };
}

/** The field's errors, as its aria-describedby names them. */
function errorsOf(field: HTMLElement): string {
  return (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id))
    .filter((el) => el?.classList.contains('field-error'))
    .map((el) => el!.textContent)
    .join(' ');
}

describe('WaitingRoomPanel', () => {
  it('switches the room on: bad input is refused beside its field and nothing is sent; the start is read in the venue’s zone', async () => {
    const user = userEvent.setup();
    let saved: QueueSettings | null = null;
    const fake = fakeApi({
      'queue.settings': () => saved,
      'queue.configure': (input) =>
        (saved = { eventId: input.eventId, startsAt: input.startsAt, ratePerMinute: input.ratePerMinute, doorsOpen: false }),
      'queue.stats': () => stats({ ...saved!, waiting: 0, admitted: 0, shopping: 0, done: 0, lapsed: 0, admittedLastMinute: 0, sold: 0 }),
    });
    renderWithApi(<WaitingRoomPanel event={event} />, fake.link, { route: '/staff/events' });

    const form = await screen.findByRole('form', { name: 'Switch the waiting room on' });
    const start = within(form).getByLabelText('Admission starts');
    const rate = within(form).getByLabelText('Shoppers let in per minute');
    expect(within(form).getByText(/^Venue time \(America\/New York\)/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open the doors' })).toBeNull();

    // Nothing filled in: both fields say what they need.
    await user.click(within(form).getByRole('button', { name: 'Switch the waiting room on' }));
    expect(errorsOf(start)).toBe('Pick the date and time admission starts.');
    expect(errorsOf(rate)).toBe('Enter a whole number of shoppers, such as 60.');

    // Rate 0: the API's own rule, checked here; nothing is sent.
    fireEvent.change(start, { target: { value: '2027-03-01T10:00' } });
    await user.type(rate, '0');
    await user.click(within(form).getByRole('button', { name: 'Switch the waiting room on' }));
    expect(errorsOf(rate)).toBe('Admit at least one shopper a minute.');
    expect(rate.getAttribute('aria-invalid')).toBe('true');
    expect(errorsOf(start)).toBe('');
    expect(fake.callsTo('queue.configure')).toHaveLength(0);

    await user.clear(rate);
    await user.type(rate, '30');
    await user.click(within(form).getByRole('button', { name: 'Switch the waiting room on' }));
    expect(await screen.findByText('The waiting room is on: shoppers now queue for a pass.')).toBeTruthy();
    // 10:00 in New York on 1 March (EST, UTC-5) is 15:00 UTC.
    expect(fake.callsTo('queue.configure')).toEqual([
      { path: 'queue.configure', input: { eventId: event.id, startsAt: '2027-03-01T15:00:00.000Z', ratePerMinute: 30 } },
    ]);
    // Now on: its settings form, its numbers and the doors.
    expect(await screen.findByRole('form', { name: 'Settings' })).toBeTruthy();
    expect(await screen.findByRole('button', { name: 'Open the doors' })).toBeTruthy();
    expect(within(screen.getByRole('form', { name: 'Settings' })).getByLabelText<HTMLInputElement>('Admission starts').value).toBe(
      '2027-03-01T10:00',
    );
  });

  it('shows the line live, read every two seconds; changes the rate; a start that can no longer move is said beside it', async () => {
    const user = userEvent.setup();
    let reads = 0;
    const fake = fakeApi({
      'queue.settings': () => room,
      'queue.stats': () => stats({ waiting: 1234 - 10 * reads++ }),
      'queue.configure': (input) => {
        if (input.startsAt !== room.startsAt) {
          throw new ApiError('Admission has begun, so the start can no longer move: change the rate, or open the doors.', 'CONFLICT', 409, {
            reason: 'QUEUE_STARTED',
          });
        }
        return { ...room, ratePerMinute: input.ratePerMinute };
      },
    });
    renderWithApi(<WaitingRoomPanel event={event} />, fake.link, { route: '/staff/events' });

    const numbers = await screen.findByRole('region', { name: 'Now' });
    const stat = (label: string) => within(numbers).getByText(label).nextElementSibling!.textContent;
    await waitFor(() => expect(stat('Waiting')).toBe('1,234'));
    expect(['Admitted', 'Shopping', 'Done', 'Lapsed', 'Admitted last minute', 'Sold', 'Rate a minute'].map((label) => [label, stat(label)])).toEqual([
      ['Admitted', '40'],
      ['Shopping', '25'],
      ['Done', '310'],
      ['Lapsed', '7'],
      ['Admitted last minute', '118'],
      ['Sold', '702'],
      ['Rate a minute', '120'],
    ]);
    // Polled: the next reading arrives without anyone asking.
    await waitFor(() => expect(stat('Waiting')).toBe('1,224'), { timeout: 3500 });

    const form = screen.getByRole('form', { name: 'Settings' });
    const rate = within(form).getByLabelText<HTMLInputElement>('Shoppers let in per minute');
    expect(rate.value).toBe('120');
    await user.clear(rate);
    await user.type(rate, '600');
    await user.click(within(form).getByRole('button', { name: 'Save waiting room' }));
    expect(await screen.findByText('Waiting room saved.')).toBeTruthy();
    expect(fake.callsTo('queue.configure').at(-1)!.input).toEqual({ eventId: event.id, startsAt: room.startsAt, ratePerMinute: 600 });

    const start = within(form).getByLabelText('Admission starts');
    fireEvent.change(start, { target: { value: '2027-03-01T11:00' } });
    await user.click(within(form).getByRole('button', { name: 'Save waiting room' }));
    await waitFor(() => expect(errorsOf(start)).toBe('Admission has begun, so the start can no longer move: change the rate, or open the doors.'));
    expect(within(form).queryByRole('alert')).toBeNull();
  });

  it('opens the doors', async () => {
    const user = userEvent.setup();
    let settings = room;
    const fake = fakeApi({
      'queue.settings': () => settings,
      'queue.stats': () => stats({ doorsOpen: settings.doorsOpen }),
      'queue.openDoors': () => (settings = { ...room, doorsOpen: true }),
    });
    renderWithApi(<WaitingRoomPanel event={event} />, fake.link, { route: '/staff/events' });

    await user.click(await screen.findByRole('button', { name: 'Open the doors' }));
    expect(await screen.findByText('The doors are open: nobody needs a pass now.')).toBeTruthy();
    expect(fake.callsTo('queue.openDoors')).toEqual([{ path: 'queue.openDoors', input: { eventId: event.id } }]);
    expect(await screen.findByText('The doors are open: shoppers pick seats and buy without queueing.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Open the doors' })).toBeNull();
    expect(screen.getByText('The doors are open. Saving closes them again: shoppers then queue for a pass once more.')).toBeTruthy();
  });
});
