import { describe, expect, it } from 'vitest';
import { applySeatChanges, changeLetter, compareVersions, seatChangesOf } from './live-seats.js';
import type { CompactSeatMap } from './seat-map.js';

const map = (): CompactSeatMap => ({
  eventId: 'e1',
  version: '1048575',
  holdMinutes: 10,
  tiers: [],
  rows: [
    { name: 'A', first: 1, status: 'AAAA', tiers: [0, 0, 0, 0] },
    { name: 'B', first: null, numbers: [2, 4, 6], status: 'ASA', tiers: [0, 0, 0] },
  ],
  mine: [{ row: 'B', number: 4 }],
});

describe('compareVersions', () => {
  it('orders decimal versions by value, whatever their length', () => {
    expect(compareVersions('9', '10')).toBeLessThan(0);
    expect(compareVersions('2097151', '1048575')).toBeGreaterThan(0);
    expect(compareVersions('123', '123')).toBe(0);
  });
});

describe('the wire form of changes', () => {
  it("reads each seat of each row, lower case meaning the caller's own", () => {
    expect(
      seatChangesOf([
        ['C-AB', '12R13r140A'],
        ['B', '7s'],
      ]),
    ).toEqual([
      { row: 'C-AB', number: 12, status: 'R', mine: false },
      { row: 'C-AB', number: 13, status: 'R', mine: true },
      { row: 'C-AB', number: 140, status: 'A', mine: false },
      { row: 'B', number: 7, status: 'S', mine: true },
    ]);
    expect(seatChangesOf([])).toEqual([]);
  });

  it("writes a free seat in upper case even when asked for the caller's", () => {
    expect([changeLetter('R', true), changeLetter('S', true), changeLetter('A', true), changeLetter('S', false)]).toEqual(['r', 's', 'A', 'S']);
  });
});

describe('applySeatChanges', () => {
  it('sets the changed seats, with or without gaps in the numbers, and keeps mine in step', () => {
    const next = applySeatChanges(map(), {
      kind: 'changes',
      eventId: 'e1',
      version: '2097150',
      rows: [
        ['A', '3r'],
        ['B', '4A6S'],
      ],
    });
    expect(next?.version).toBe('2097150');
    expect(next?.rows.map((r) => r.status)).toEqual(['AARA', 'AAS']);
    expect(next?.mine).toEqual([{ row: 'A', number: 3 }]);
  });

  it('ignores a message no newer than the map, for another event, or about seats the map does not have', () => {
    const old = map();
    expect(applySeatChanges(old, { kind: 'changes', eventId: 'e1', version: '1048575', rows: [['A', '1S']] })).toBeNull();
    expect(applySeatChanges(old, { kind: 'changes', eventId: 'e2', version: '9999999', rows: [] })).toBeNull();
    const same = applySeatChanges(old, {
      kind: 'changes',
      eventId: 'e1',
      version: '2097151',
      rows: [
        ['Z', '1S'],
        ['B', '5S'],
      ],
    });
    expect(same?.rows.map((r) => r.status)).toEqual(['AAAA', 'ASA']);
    expect(old.rows[0]!.status).toBe('AAAA');
  });

  it('replaces the map with a whole one', () => {
    const whole = { ...map(), version: '3145727', rows: [] };
    expect(applySeatChanges(map(), { kind: 'map', eventId: 'e1', version: '3145727', map: whole })).toBe(whole);
  });
});
