import { describe, expect, it } from 'vitest';
import { compareSeats, rowName, seatKey, seatLabel, seatListSchema } from './seats.js';

describe('seats', () => {
  it('names rows A..Z, AA, AB..', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(rowName)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('orders seats naturally: shorter row names first, then by name, then by number', () => {
    const seats = [
      { row: 'AA', number: 1 },
      { row: 'B', number: 10 },
      { row: 'B', number: 2 },
      { row: 'Z', number: 1 },
      { row: 'A', number: 3 },
    ];
    expect(seats.sort(compareSeats).map(seatLabel)).toEqual(['A3', 'B2', 'B10', 'Z1', 'AA1']);
  });

  it('keys tell seats apart where labels would not ("A" 11 and "A1" 1 never meet, but keys stay unambiguous)', () => {
    expect(seatKey({ row: 'A', number: 11 })).not.toBe(seatKey({ row: 'A', number: 1 }));
    expect(
      new Set(
        [
          { row: 'AB', number: 1 },
          { row: 'A', number: 1 },
        ].map(seatKey),
      ).size,
    ).toBe(2);
  });

  it('a seat list refuses duplicates and counts', () => {
    const list = seatListSchema(2);
    expect(
      list.safeParse([
        { row: 'A', number: 1 },
        { row: 'A', number: 1 },
      ]).success,
    ).toBe(false);
    expect(
      list.safeParse([
        { row: 'A', number: 1 },
        { row: 'A', number: 2 },
        { row: 'A', number: 3 },
      ]).success,
    ).toBe(false);
    expect(
      list.safeParse([
        { row: 'A', number: 1 },
        { row: 'B', number: 1 },
      ]).success,
    ).toBe(true);
  });
});
