import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { fakeApi, renderWithApi, testEvent } from '../../test-utils';
import { EventDetailsForm } from './EventDetailsForm';

describe('EventDetailsForm', () => {
  it('switching off passing tickets on is an unsaved change, and is sent with the event', async () => {
    const user = userEvent.setup();
    const event = testEvent({ transfersAllowed: true });
    const fake = fakeApi({ 'events.update': () => ({ ...event, transfersAllowed: false }) });
    renderWithApi(<EventDetailsForm event={event} />, fake.link, { route: '/staff/events' });

    const allowed = screen.getByLabelText<HTMLInputElement>(/Ticket holders may pass tickets on to someone else/);
    expect(allowed.checked).toBe(true);
    expect(screen.queryByText('Unsaved changes')).toBeNull();
    await user.click(allowed);
    expect(screen.getByText('Unsaved changes')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Event saved.')).toBeTruthy();
    expect(fake.callsTo('events.update')).toMatchObject([{ input: { id: event.id, transfersAllowed: false } }]);
    expect(screen.queryByText('Unsaved changes')).toBeNull();
  });
});
