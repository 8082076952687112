import { describe, expect, it } from 'vitest';
import { availability } from './EventCard';

const seats = (total: number, available: number) => ({ total, available, reserved: 0, sold: total - available });

describe('availability badge', () => {
  it('says sold out, few left, or nothing', () => {
    expect(availability(seats(0, 0))).toBeNull();
    expect(availability(seats(500, 0))).toEqual({ text: 'Sold out', tone: 'danger' });
    expect(availability(seats(500, 49))).toEqual({ text: 'Few left: 49 seats', tone: 'warn' });
    expect(availability(seats(500, 50))).toBeNull();
    // A small hall: 20 or fewer left counts once half are gone, not while it is mostly free.
    expect(availability(seats(30, 15))).toEqual({ text: 'Few left: 15 seats', tone: 'warn' });
    expect(availability(seats(30, 16))).toBeNull();
    expect(availability(seats(10, 10))).toBeNull();
    expect(availability(seats(10, 1))).toEqual({ text: 'Few left: 1 seat', tone: 'warn' });
  });
});
