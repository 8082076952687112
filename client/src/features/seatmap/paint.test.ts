import { describe, expect, it } from 'vitest';
import { seatKey } from '../../../../shared/seats';
import { STATUS_COLOURS, tierColours } from './colours';
import { layoutSeats, type LaidSeat, type SeatLayout, type SeatMapData } from './layout';
import { paintSeatMap, type Canvas2D, type Scene } from './paint';
import { seatBox, type View } from './viewport';

/** A 2D context that draws nothing and records every call with the styles in force at that moment. */
class RecordingContext implements Canvas2D {
  // The painter only ever sets colours as strings.
  fillStyle = '#000000';
  strokeStyle = '#000000';
  lineWidth = 1;
  font = '10px sans-serif';
  textAlign: CanvasTextAlign = 'start';
  textBaseline: CanvasTextBaseline = 'alphabetic';
  readonly calls: Array<{ op: string; args: unknown[]; fillStyle: string; strokeStyle: string }> = [];

  private record(op: string, args: unknown[]) {
    this.calls.push({ op, args, fillStyle: this.fillStyle, strokeStyle: this.strokeStyle });
  }
  setTransform(...args: unknown[]) {
    this.record('setTransform', args);
  }
  clearRect(...args: number[]) {
    this.record('clearRect', args);
  }
  beginPath() {
    this.record('beginPath', []);
  }
  roundRect(...args: unknown[]) {
    this.record('roundRect', args);
  }
  fill() {
    this.record('fill', []);
  }
  fillRect(...args: number[]) {
    this.record('fillRect', args);
  }
  stroke() {
    this.record('stroke', []);
  }
  strokeRect(...args: number[]) {
    this.record('strokeRect', args);
  }
  moveTo(...args: number[]) {
    this.record('moveTo', args);
  }
  lineTo(...args: number[]) {
    this.record('lineTo', args);
  }
  arc(...args: unknown[]) {
    this.record('arc', args);
  }
  fillText(...args: unknown[]) {
    this.record('fillText', args);
  }
}

const TIERS = [
  { id: 'front', name: 'Front', priceCents: 12000, currency: 'USD', hidden: false },
  { id: 'back', name: 'Back', priceCents: 4500, currency: 'USD', hidden: false },
];

/** Row A: free, reserved, sold, held by the visitor. Row B: free (other tier), bought by the visitor. */
const MAP: SeatMapData = {
  eventId: 'e1',
  holdMinutes: 10,
  tiers: TIERS,
  rows: [
    {
      name: 'A',
      seats: [
        { number: 1, status: 'AVAILABLE', tierId: 'front', mine: false },
        { number: 2, status: 'RESERVED', tierId: 'front', mine: false },
        { number: 3, status: 'SOLD', tierId: 'front', mine: false },
        { number: 4, status: 'RESERVED', tierId: 'front', mine: true },
      ],
    },
    {
      name: 'B',
      seats: [
        { number: 1, status: 'AVAILABLE', tierId: 'back', mine: false },
        { number: 2, status: 'SOLD', tierId: 'back', mine: true },
      ],
    },
  ],
};

function scene(layout: SeatLayout, view: View, overrides: Partial<Scene> = {}): Scene {
  return {
    layout,
    view,
    size: { width: 600, height: 400 },
    colours: tierColours(TIERS),
    selected: new Set(),
    focusKey: null,
    pixelRatio: 1,
    ...overrides,
  };
}

function paint(s: Scene) {
  const ctx = new RecordingContext();
  paintSeatMap(ctx, s);
  return ctx.calls;
}

const seat = (layout: SeatLayout, key: string): LaidSeat => layout.byKey.get(key)!;
const near = (a: unknown, b: number) => typeof a === 'number' && Math.abs(a - b) < 1e-6;

/** The shape drawn for a seat (its square at the seat's place and size) and the colour it was filled with. */
function seatShape(calls: ReturnType<typeof paint>, s: Scene, key: string) {
  const box = seatBox(s.layout, s.view, seat(s.layout, key));
  const at = calls.findIndex(
    (c) => (c.op === 'roundRect' || c.op === 'fillRect') && near(c.args[0], box.left) && near(c.args[1], box.top) && near(c.args[2], box.size),
  );
  if (at < 0) return null;
  const shape = calls[at]!;
  const fill = shape.op === 'fillRect' ? shape : calls.slice(at).find((c) => c.op === 'fill');
  return { op: shape.op, fill: fill?.fillStyle, index: at, box };
}

/** Everything drawn from a seat's shape up to the next seat's shape. */
function callsFor(calls: ReturnType<typeof paint>, s: Scene, key: string) {
  const shape = seatShape(calls, s, key)!;
  const next = calls.findIndex((c, i) => i > shape.index && (c.op === 'roundRect' || c.op === 'fillRect') && near(c.args[2], shape.box.size));
  return calls.slice(shape.index + 1, next < 0 ? undefined : next);
}

describe('paintSeatMap', () => {
  const layout = layoutSeats(MAP);
  const close = scene(layout, { scale: 40, x: 20, y: 10 });

  it('fills free seats with their tier’s colour, taken seats grey and the visitor’s own seats dark', () => {
    const calls = paint(close);
    const [front, back] = [tierColours(TIERS).get('front'), tierColours(TIERS).get('back')];
    expect(seatShape(calls, close, 'A:1')?.fill).toBe(front);
    expect(seatShape(calls, close, 'B:1')?.fill).toBe(back);
    expect(seatShape(calls, close, 'A:2')?.fill).toBe(STATUS_COLOURS.reserved);
    expect(seatShape(calls, close, 'A:3')?.fill).toBe(STATUS_COLOURS.sold);
    expect(seatShape(calls, close, 'A:4')?.fill).toBe(STATUS_COLOURS.mine);
    expect(seatShape(calls, close, 'B:2')?.fill).toBe(STATUS_COLOURS.mine);
  });

  it('marks the visitor’s seats with a dot (amber while held, white once bought) and crosses out others’ sold seats', () => {
    const calls = paint(close);
    const dot = (key: string) => callsFor(calls, close, key).find((c) => c.op === 'arc');
    expect(dot('A:4')).toBeTruthy();
    expect(
      callsFor(calls, close, 'A:4')
        .filter((c) => c.op === 'fill')
        .at(-1)?.fillStyle,
    ).toBe('#fbbf24');
    expect(
      callsFor(calls, close, 'B:2')
        .filter((c) => c.op === 'fill')
        .at(-1)?.fillStyle,
    ).toBe('#ffffff');
    expect(dot('A:1')).toBeUndefined();

    const cross = callsFor(calls, close, 'A:3');
    expect(cross.filter((c) => c.op === 'lineTo')).toHaveLength(2);
    expect(cross.find((c) => c.op === 'stroke')?.strokeStyle).toBe('#ffffff');
    expect(callsFor(calls, close, 'B:2').some((c) => c.op === 'lineTo')).toBe(false);
  });

  it('writes the number on free and reserved seats when they are large enough to read', () => {
    const texts = paint(close)
      .filter((c) => c.op === 'fillText')
      .map((c) => c.args[0]);
    expect(texts).toEqual(expect.arrayContaining(['1', '2']));
    expect(texts).not.toContain('3');
  });

  it('rings the selected seats, and the keyboard-focused seat once the map has focus', () => {
    const s = { ...close, selected: new Set(['A:1']), focusKey: 'B:1' };
    const calls = paint(s);
    const ring = callsFor(calls, s, 'A:1').find((c) => c.op === 'stroke');
    expect(ring?.strokeStyle).toBe(STATUS_COLOURS.selectedRing);
    expect(callsFor(calls, s, 'B:1').find((c) => c.op === 'strokeRect')?.strokeStyle).toBe('#4f46e5');
    expect(callsFor(paint(close), close, 'B:1').some((c) => c.op === 'strokeRect')).toBe(false);
  });

  it('draws only the seats in view (and one seat’s margin around it)', () => {
    const wide = layoutSeats({
      ...MAP,
      rows: [
        { name: 'A', seats: Array.from({ length: 60 }, (_, i) => ({ number: i + 1, status: 'AVAILABLE' as const, tierId: 'front', mine: false })) },
      ],
    });
    // 40 px per seat on a 200 px wide box, scrolled half a seat in: seats 1 to 6 show (the first and
    // last in part), and seat 7 lies within the margin.
    const s = scene(wide, { scale: 40, x: -(wide.rows[0]!.minX + 0.5) * 40, y: 0 }, { size: { width: 200, height: 200 } });
    const calls = paint(s);
    const drawn = wide.rows[0]!.seats.filter((laid) => seatShape(calls, s, seatKey(laid)));
    expect(drawn.map((laid) => laid.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seatShape(calls, s, 'A:60')).toBeNull();
  });

  it('paints plain squares at overview size, still ringing the selected ones', () => {
    const s = scene(layout, { scale: 4, x: 0, y: 0 }, { selected: new Set(['B:1']) });
    const calls = paint(s);
    expect(seatShape(calls, s, 'A:1')).toMatchObject({ op: 'fillRect', fill: tierColours(TIERS).get('front') });
    expect(seatShape(calls, s, 'A:3')).toMatchObject({ op: 'fillRect', fill: STATUS_COLOURS.sold });
    expect(callsFor(calls, s, 'B:1').find((c) => c.op === 'strokeRect')?.strokeStyle).toBe(STATUS_COLOURS.selectedRing);
    expect(calls.filter((c) => c.op === 'arc' || c.op === 'fillText')).toEqual([]);
  });

  it('scales to the device’s pixels and names the rows on both sides once they are readable', () => {
    const calls = paint({ ...close, pixelRatio: 2 });
    expect(calls[0]).toMatchObject({ op: 'setTransform', args: [2, 0, 0, 2, 0, 0] });
    const rowNames = calls.filter((c) => c.op === 'fillText' && (c.args[0] === 'A' || c.args[0] === 'B')).map((c) => c.args[0]);
    expect(rowNames).toEqual(['A', 'A', 'B', 'B']);
    const small = paint(scene(layout, { scale: 8, x: 0, y: 0 }));
    expect(small.some((c) => c.op === 'fillText' && c.args[0] === 'A')).toBe(false);
  });

  it('paints the free seats of a locked (presale) tier violet with an edge and a padlock, not their tier colour or number', () => {
    const locked = layoutSeats(MAP, null, new Set(['back']));
    const s = scene(locked, { scale: 40, x: 20, y: 10 });
    const calls = paint(s);
    expect(seatShape(calls, s, 'B:1')?.fill).toBe(STATUS_COLOURS.locked);
    const drawn = callsFor(calls, s, 'B:1');
    expect(drawn.filter((c) => c.op === 'stroke').map((c) => c.strokeStyle)).toEqual([STATUS_COLOURS.lockedEdge, STATUS_COLOURS.lockedEdge]);
    expect(drawn.find((c) => c.op === 'fillRect')?.fillStyle).toBe(STATUS_COLOURS.lockedEdge);
    expect(drawn.some((c) => c.op === 'fillText')).toBe(false);
    // The visitor's own seat of that tier, and seats of other tiers, look as before.
    expect(seatShape(calls, s, 'B:2')?.fill).toBe(STATUS_COLOURS.mine);
    expect(seatShape(calls, s, 'A:1')?.fill).toBe(tierColours(TIERS).get('front'));

    // At overview size a locked seat is a plain square of its own colour.
    const far = scene(locked, { scale: 4, x: 0, y: 0 });
    expect(seatShape(paint(far), far, 'B:1')).toMatchObject({ op: 'fillRect', fill: STATUS_COLOURS.locked });
  });
});
