import { describe, expect, it } from 'vitest';
import { layoutSeats, type SeatMapData } from './layout';
import { clampView, fitView, KEYBOARD_SCALE, seatBox, viewShowing, visibleWorld, zoomView } from './viewport';

/** 20 rows of 40 seats. */
const map: SeatMapData = {
  eventId: 'e1',
  holdMinutes: 10,
  tiers: [{ id: 't', name: 'Stalls', priceCents: 4500, currency: 'USD', hidden: false }],
  rows: Array.from({ length: 20 }, (_, r) => ({
    name: String.fromCharCode(65 + r),
    seats: Array.from({ length: 40 }, (_, i) => ({ number: i + 1, status: 'AVAILABLE' as const, tierId: 't', mine: false })),
  })),
};
const layout = layoutSeats(map);
const size = { width: 800, height: 400 };

describe('the seat map viewport', () => {
  it('fits the whole venue in the box, centred', () => {
    const view = fitView(layout, size);
    const world = visibleWorld(view, size);
    expect(world.x0).toBeLessThanOrEqual(0);
    expect(world.x1).toBeGreaterThanOrEqual(layout.width);
    expect(world.y0).toBeLessThanOrEqual(0);
    expect(world.y1).toBeGreaterThanOrEqual(layout.height);
    expect(world.x0 + world.x1).toBeCloseTo(layout.width);
  });

  it('keeps the point under the pointer in place while zooming', () => {
    const base = fitView(layout, size);
    const zoomed = zoomView(layout, size, base, 2, 300, 200);
    expect(zoomed.scale).toBeCloseTo(base.scale * 2);
    expect((300 - zoomed.x) / zoomed.scale).toBeCloseTo((300 - base.x) / base.scale);
  });

  it('never lets the venue leave the box or shrink far below the fit', () => {
    const fit = fitView(layout, size);
    const lost = clampView(layout, size, { scale: fit.scale, x: -10_000, y: 10_000 });
    expect(lost.x + layout.width * lost.scale).toBeGreaterThanOrEqual(size.width * 0.25);
    expect(lost.y).toBeLessThanOrEqual(size.height * 0.75);
    expect(clampView(layout, size, { ...fit, scale: fit.scale / 10 }).scale).toBeCloseTo(fit.scale * 0.8);
  });

  it('brings a keyboard-focused seat into sight: zoomed in when seats are tiny, moved when it is at an edge', () => {
    const seat = layout.byKey.get('T:40')!;
    const phone = { width: 360, height: 240 };
    const overview = fitView(layout, phone);
    expect(seatBox(layout, overview, seat).size).toBeLessThan(10);
    const zoomed = viewShowing(layout, phone, overview, seat)!;
    expect(zoomed.scale).toBe(KEYBOARD_SCALE);
    const box = seatBox(layout, zoomed, seat);
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.left + box.size).toBeLessThanOrEqual(phone.width);
    expect(box.top + box.size).toBeLessThanOrEqual(phone.height);

    const centre = layout.byKey.get('J:20')!;
    const close = viewShowing(layout, size, { scale: KEYBOARD_SCALE, x: -1000, y: 0 }, centre)!;
    expect(close.scale).toBe(KEYBOARD_SCALE);
    expect(viewShowing(layout, size, close, centre)).toBeNull();
  });
});
