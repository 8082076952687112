import { describe, expect, it } from 'vitest';
import { applySeatChanges, compareVersions } from './live-seats.js';
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

describe('applySeatChanges', () => {
  it('sets the changed seats, with or without gaps in the numbers, and keeps mine in step', () => {
    const next = applySeatChanges(map(), {
      kind: 'changes',
      eventId: 'e1',
      version: '2097150',
      changes: [
        { row: 'A', number: 3, status: 'R', mine: true },
        { row: 'B', number: 4, status: 'A', mine: false },
        { row: 'B', number: 6, status: 'S', mine: false },
      ],
    });
    expect(next?.version).toBe('2097150');
    expect(next?.rows.map((r) => r.status)).toEqual(['AARA', 'AAS']);
    expect(next?.mine).toEqual([{ row: 'A', number: 3 }]);
  });

  it('ignores a message no newer than the map, for another event, or about seats the map does not have', () => {
    const old = map();
    expect(
      applySeatChanges(old, { kind: 'changes', eventId: 'e1', version: '1048575', changes: [{ row: 'A', number: 1, status: 'S', mine: false }] }),
    ).toBeNull();
    expect(applySeatChanges(old, { kind: 'changes', eventId: 'e2', version: '9999999', changes: [] })).toBeNull();
    const same = applySeatChanges(old, {
      kind: 'changes',
      eventId: 'e1',
      version: '2097151',
      changes: [
        { row: 'Z', number: 1, status: 'S', mine: false },
        { row: 'B', number: 5, status: 'S', mine: false },
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
