import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSeatsIn, layoutSeats, nearestChoosableSeat, neighbour, seatFilter, seatsIn, type SeatMapData } from './layout';

const seat = (number: number, position?: number, features?: Array<'wheelchair' | 'companion' | 'restricted'>) => ({
  number,
  status: 'AVAILABLE' as const,
  tierId: 't',
  mine: false,
  ...(position !== undefined ? { position } : {}),
  ...(features ? { features } : {}),
});

/** Stalls A: 1-4 | aisle | 5-8; Circle C-A: odd-even 7 5 3 1 2 4 6 8; a plain row Z without places. */
const MAP: SeatMapData = {
  eventId: 'e',
  holdMinutes: 10,
  tiers: [{ id: 't', name: 'Stalls', priceCents: 100, currency: 'USD', hidden: false }],
  rows: [
    { name: 'A', section: 'Stalls', seats: [1, 2, 3, 4, 5, 6, 7, 8].map((n) => seat(n, n <= 4 ? n - 1 : n, n === 1 ? ['wheelchair'] : undefined)) },
    { name: 'C-A', section: 'Circle', seats: [7, 5, 3, 1, 2, 4, 6, 8].map((n, i) => seat(n, i)) },
    { name: 'Z', seats: [3, 1, 2].map((n) => seat(n)) },
  ],
};

describe('layoutSeats with venue layouts', () => {
  const layout = layoutSeats(MAP);

  it('places seats by position (aisles stay empty), odd-even rows left to right, sections below each other with their names', () => {
    const a = layout.rows[0]!;
    expect(a.seats.map((s) => Math.round((s.x - a.minX) * 1000) / 1000)).toEqual([0, 1, 2, 3, 5, 6, 7, 8]);
    expect(layout.rows[1]!.seats.map((s) => s.number)).toEqual([7, 5, 3, 1, 2, 4, 6, 8]);
    expect(layout.rows[2]!.seats.map((s) => s.number)).toEqual([1, 2, 3]);
    expect(layout.sections.map((s) => s.name)).toEqual(['Stalls', 'Circle']);
    expect(layout.rows[1]!.y - layout.rows[0]!.y).toBeGreaterThan(2);
    expect(layout.sections[1]!.y).toBeGreaterThan(layout.rows[0]!.y + 1);
    expect(layout.sections[1]!.y).toBeLessThan(layout.rows[1]!.y);
  });

  it('counts exactly the seats it yields for any rectangle', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 16, noNaN: true }),
        fc.double({ min: 0, max: 14, noNaN: true }),
        fc.double({ min: 0, max: 12, noNaN: true }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        (x0, y0, w, h) => {
          expect(countSeatsIn(layout, x0, y0, x0 + w, y0 + h)).toBe([...seatsIn(layout, x0, y0, x0 + w, y0 + h)].length);
        },
      ),
    );
    // A rectangle over the aisle alone holds no seat.
    const aisle = layout.rows[0]!.minX + 4;
    expect([...seatsIn(layout, aisle + 0.05, layout.rows[0]!.y, aisle + 0.95, layout.rows[0]!.y + 0.5)]).toEqual([]);
  });

  it('moves by keyboard to the nearest place in the next row, and a filter makes other seats unchoosable', () => {
    const a4 = layout.rows[0]!.seats[3]!;
    expect(neighbour(layout, a4, 'ArrowRight')?.number).toBe(5);
    const below = neighbour(layout, a4, 'ArrowDown')!;
    expect(below.row).toBe('C-A');
    expect(Math.abs(below.x - a4.x)).toBeLessThanOrEqual(0.5);

    const filtered = layoutSeats(MAP, seatFilter('wheelchair'));
    const a1 = filtered.rows[0]!.seats[0]!;
    expect(a1.dimmed).toBe(false);
    expect(filtered.rows[0]!.seats[1]!.dimmed).toBe(true);
    const y = filtered.rows[0]!.y + 0.5;
    expect(nearestChoosableSeat(filtered, a1.x + 1.5, y, 3, new Set())?.number).toBe(1);
    expect(nearestChoosableSeat(layoutSeats(MAP), a1.x + 1.5, y, 3, new Set())?.number).not.toBe(1);
  });
});
