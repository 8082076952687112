import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { seatKey } from '../../../../shared/seats';
import { type Seat } from '../../lib/seats';
import { SeatMap, type SeatMapData } from './SeatMap';

const map: SeatMapData = {
  eventId: 'e1',
  holdMinutes: 10,
  tiers: [
    { id: 'front', name: 'Front', priceCents: 12000, currency: 'USD', hidden: false },
    { id: 'back', name: 'Back', priceCents: 4550, currency: 'USD', hidden: false },
  ],
  rows: [
    {
      name: 'A',
      seats: [
        { number: 4, status: 'AVAILABLE', tierId: 'front', mine: false },
        { number: 5, status: 'AVAILABLE', tierId: 'front', mine: false },
        { number: 6, status: 'SOLD', tierId: 'front', mine: false },
      ],
    },
    {
      name: 'B',
      seats: [
        { number: 4, status: 'RESERVED', tierId: 'back', mine: true },
        { number: 5, status: 'RESERVED', tierId: 'back', mine: false },
        { number: 6, status: 'AVAILABLE', tierId: 'back', mine: false },
      ],
    },
  ],
};

function Harness({ onChange }: { onChange?: (seats: Seat[]) => void }) {
  const [selected, setSelected] = useState<Seat[]>([]);
  const keys = new Set(selected.map(seatKey));
  return (
    <SeatMap
      map={map}
      selected={keys}
      onToggle={(seat) =>
        setSelected((old) => {
          const next = old.some((s) => seatKey(s) === seatKey(seat)) ? old.filter((s) => seatKey(s) !== seatKey(seat)) : [...old, seat];
          onChange?.(next);
          return next;
        })
      }
    />
  );
}

describe('SeatMap', () => {
  it('names every seat with its row, number, tier, price and status', () => {
    render(<Harness />);
    expect(screen.getByRole('button', { name: 'Row A seat 5, Front, $120.00, available' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Row A seat 6, Front, $120.00, sold' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Row B seat 4, Back, $45.50, held by you' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Row B seat 5, Back, $45.50, reserved' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Legend' }).textContent).toContain('Front · $120.00');
  });

  it('selects and unselects an available seat with a click', async () => {
    const user = userEvent.setup();
    const changes: Seat[][] = [];
    render(<Harness onChange={(s) => changes.push(s)} />);

    await user.click(screen.getByRole('button', { name: 'Row A seat 5, Front, $120.00, available' }));
    const selected = screen.getByRole('button', { name: 'Row A seat 5, Front, $120.00, available, selected' });
    expect(selected.getAttribute('aria-pressed')).toBe('true');
    await user.click(selected);

    expect(changes).toEqual([[{ row: 'A', number: 5 }], []]);
  });

  it('does not let anyone choose a sold, reserved or already held seat', async () => {
    const user = userEvent.setup();
    const changes: Seat[][] = [];
    render(<Harness onChange={(s) => changes.push(s)} />);

    for (const name of ['Row A seat 6, Front, $120.00, sold', 'Row B seat 5, Back, $45.50, reserved', 'Row B seat 4, Back, $45.50, held by you']) {
      const seat = screen.getByRole('button', { name });
      expect(seat.getAttribute('aria-disabled')).toBe('true');
      await user.click(seat);
    }
    expect(changes).toEqual([]);
  });

  it('is one tab stop; arrow keys move between seats and Enter chooses', async () => {
    const user = userEvent.setup();
    const changes: Seat[][] = [];
    render(<Harness onChange={(s) => changes.push(s)} />);

    await user.tab();
    await user.tab();
    await user.tab();
    await user.tab();
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Row A seat 4, Front, $120.00, available');
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Row A seat 5, Front, $120.00, available');
    await user.keyboard('{ArrowDown}{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Row B seat 6, Back, $45.50, available');
    await user.keyboard('{Enter}');

    expect(changes).toEqual([[{ row: 'B', number: 6 }]]);
    expect(document.activeElement?.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByRole('button').filter((b) => b.getAttribute('tabindex') === '0')).toHaveLength(1);
  });
});
