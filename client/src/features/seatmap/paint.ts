import { seatKey } from '../../../../shared/seats';
import { STATUS_COLOURS } from './colours';
import { SEAT_SIZE, seatsIn, STAGE_HEIGHT, type LaidSeat, type SeatLayout } from './layout';
import { visibleWorld, type Size, type View } from './viewport';

/** The part of a canvas's 2D context the painter uses (tests pass a recorder). */
export type Canvas2D = Pick<
  CanvasRenderingContext2D,
  | 'setTransform'
  | 'clearRect'
  | 'beginPath'
  | 'roundRect'
  | 'fill'
  | 'fillRect'
  | 'stroke'
  | 'strokeRect'
  | 'moveTo'
  | 'lineTo'
  | 'arc'
  | 'fillText'
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'font'
  | 'textAlign'
  | 'textBaseline'
>;

/** Everything one frame shows. */
export interface Scene {
  layout: SeatLayout;
  view: View;
  size: Size;
  /** Tier id -> colour (colours.ts). */
  colours: ReadonlyMap<string, string>;
  /** Keys of the seats chosen but not yet held. */
  selected: ReadonlySet<string>;
  /** The seat with keyboard focus, ringed; null when the map has no focus. */
  focusKey: string | null;
  /** Device pixels per CSS pixel. */
  pixelRatio: number;
}

const INK = {
  stage: '#e7eaf0',
  label: '#5b6475',
  unknownTier: '#64748b',
  mark: '#ffffff',
  heldDot: '#fbbf24',
  reservedNumber: '#475063',
  focus: '#4f46e5',
  plate: '#ffffff',
  dimmed: '#dfe3ea',
  section: '#334155',
} as const;

/** Below this many pixels a seat is a plain square: fast enough for 20,000 of them. */
const TINY_SEAT = 5;

/** Draws the venue: the stage, every seat in view (and only those), and the row names once they are readable. */
export function paintSeatMap(ctx: Canvas2D, scene: Scene): void {
  const { size, pixelRatio } = scene;
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  paintStage(ctx, scene);
  paintSeats(ctx, scene);
  paintSectionNames(ctx, scene);
  if (scene.view.scale >= 11) paintRowNames(ctx, scene);
}

/** Each section's name, centred above its first row, once it is big enough to read. */
function paintSectionNames(ctx: Canvas2D, { layout, view }: Scene) {
  const size = Math.min(18, view.scale * 0.9);
  if (layout.sections.length === 0 || size < 9) return;
  ctx.fillStyle = INK.section;
  ctx.font = `700 ${size}px system-ui, sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (const section of layout.sections)
    ctx.fillText(section.name.toUpperCase(), view.x + (layout.width / 2) * view.scale, view.y + section.y * view.scale);
}

function paintStage(ctx: Canvas2D, { layout, view }: Scene) {
  const { scale, x: ox, y: oy } = view;
  const stageW = Math.min(layout.width * 0.6, 40);
  const stageX = ox + ((layout.width - stageW) / 2) * scale;
  ctx.fillStyle = INK.stage;
  ctx.beginPath();
  ctx.roundRect(stageX, oy + 0.4 * scale, stageW * scale, STAGE_HEIGHT * scale, Math.min(12, scale * 0.4));
  ctx.fill();
  if (scale * STAGE_HEIGHT > 14) {
    ctx.fillStyle = INK.label;
    ctx.font = `600 ${Math.min(16, scale * 0.7)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('STAGE', stageX + (stageW * scale) / 2, oy + (0.4 + STAGE_HEIGHT / 2) * scale);
  }
}

function seatColour(seat: LaidSeat, colours: ReadonlyMap<string, string>): string {
  if (seat.mine) return STATUS_COLOURS.mine;
  if (seat.dimmed) return INK.dimmed;
  if (seat.status === 'SOLD') return STATUS_COLOURS.sold;
  if (seat.status === 'RESERVED') return STATUS_COLOURS.reserved;
  if (seat.locked) return STATUS_COLOURS.locked;
  return colours.get(seat.tierId) ?? INK.unknownTier;
}

/** From this many pixels a locked seat gets its edge (smaller ones are plain, batched squares). */
const LOCK_EDGE_SEAT = 10;

function paintSeats(ctx: Canvas2D, { layout, view, size, colours, selected, focusKey }: Scene) {
  const { scale, x: ox, y: oy } = view;
  const { x0, y0, x1, y1 } = visibleWorld(view, size);
  // seatBox's arithmetic, spelled out: this loop runs for every seat in view, 20,000 of them at once.
  const s = SEAT_SIZE * scale;
  const pad = ((1 - SEAT_SIZE) / 2) * scale;
  const radius = Math.min(s * 0.28, 6);
  // Seats of one colour come in runs: the fill style is set only when it changes, and plain seats
  // of a run go into one path filled once (one fill per run instead of one per seat).
  let fill = '';
  let batched = false;
  const flush = () => {
    if (batched) ctx.fill();
    batched = false;
  };
  for (const seat of seatsIn(layout, x0 - 1, y0 - 1, x1 + 1, y1 + 1)) {
    const px = ox + seat.x * scale + pad;
    const py = oy + layout.rows[seat.rowIndex]!.y * scale + pad;
    const key = seatKey(seat);
    const isSelected = selected.has(key);
    const colour = seatColour(seat, colours);
    if (colour !== fill) {
      flush();
      ctx.fillStyle = colour;
      fill = colour;
    }
    if (s < TINY_SEAT) {
      ctx.fillRect(px, py, s, s);
      if (isSelected) {
        ctx.strokeStyle = STATUS_COLOURS.selectedRing;
        ctx.lineWidth = Math.max(1, s * 0.3);
        ctx.strokeRect(px, py, s, s);
      }
      continue;
    }
    const marked = seat.features.length > 0;
    const locked = seat.locked && !seat.dimmed;
    const plain =
      !marked &&
      !seat.mine &&
      !isSelected &&
      key !== focusKey &&
      (seat.status === 'SOLD' ? s <= 10 : locked ? s < LOCK_EDGE_SEAT : s < 22 || seat.dimmed);
    if (plain) {
      if (!batched) ctx.beginPath();
      batched = true;
      ctx.roundRect(px, py, s, s, radius);
      continue;
    }
    flush();
    ctx.beginPath();
    // A wheelchair space is round, so it reads apart from seats at any size.
    if (marked && seat.features.includes('wheelchair')) ctx.arc(px + s / 2, py + s / 2, s / 2, 0, Math.PI * 2);
    else ctx.roundRect(px, py, s, s, radius);
    ctx.fill();
    if (marked && s >= 8) {
      paintFeatures(ctx, seat, px, py, s);
      fill = '';
    }
    if (seat.status === 'SOLD' && !seat.mine && s > 10) paintCross(ctx, px, py, s);
    if (locked && s >= LOCK_EDGE_SEAT) {
      paintLock(ctx, px, py, s, marked && seat.features.includes('wheelchair') ? s / 2 : radius);
      fill = '';
    }
    if (seat.mine || isSelected) {
      if (isSelected) paintRing(ctx, px, py, s, radius);
      // The visitor's own seats carry a dot: amber while held, white once bought.
      ctx.fillStyle = seat.mine && seat.status !== 'SOLD' ? INK.heldDot : INK.mark;
      ctx.beginPath();
      ctx.arc(px + s / 2, py + s / 2, Math.max(1, s * 0.18), 0, Math.PI * 2);
      ctx.fill();
      fill = '';
    } else if (s >= 22 && !seat.dimmed && !locked) {
      ctx.fillStyle = seat.status === 'RESERVED' ? INK.reservedNumber : INK.mark;
      ctx.font = `600 ${Math.min(13, s * 0.42)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      if (seat.status !== 'SOLD') ctx.fillText(String(seat.number), px + s / 2, py + s / 2 + 0.5);
      fill = '';
    }
    if (key === focusKey) {
      ctx.strokeStyle = INK.focus;
      ctx.lineWidth = 3;
      ctx.strokeRect(px - 4, py - 4, s + 8, s + 8);
    }
  }
  flush();
}

/** Marks in white: a ring in a wheelchair space, a corner dot on a companion seat, a bar along a restricted-view seat. */
function paintFeatures(ctx: Canvas2D, seat: LaidSeat, px: number, py: number, s: number) {
  ctx.strokeStyle = INK.mark;
  ctx.fillStyle = INK.mark;
  ctx.lineWidth = Math.max(1, s * 0.08);
  if (seat.features.includes('wheelchair')) {
    ctx.beginPath();
    ctx.arc(px + s / 2, py + s / 2, s * 0.32, 0, Math.PI * 2);
    ctx.stroke();
  }
  if (seat.features.includes('companion')) {
    ctx.beginPath();
    ctx.arc(px + s * 0.8, py + s * 0.2, Math.max(1, s * 0.12), 0, Math.PI * 2);
    ctx.fill();
  }
  if (seat.features.includes('restricted')) ctx.fillRect(px + s * 0.15, py + s * 0.78, s * 0.7, Math.max(1, s * 0.1));
}

/** A sold seat that is not the visitor's is crossed out. */
function paintCross(ctx: Canvas2D, px: number, py: number, s: number) {
  ctx.strokeStyle = INK.mark;
  ctx.lineWidth = Math.max(1, s * 0.08);
  ctx.beginPath();
  ctx.moveTo(px + s * 0.3, py + s * 0.3);
  ctx.lineTo(px + s * 0.7, py + s * 0.7);
  ctx.moveTo(px + s * 0.7, py + s * 0.3);
  ctx.lineTo(px + s * 0.3, py + s * 0.7);
  ctx.stroke();
}

/** A locked (presale) seat is edged in violet (round for a wheelchair space), and carries a padlock once it is large enough to read. */
function paintLock(ctx: Canvas2D, px: number, py: number, s: number, radius: number) {
  const width = Math.max(1, s * 0.08);
  ctx.strokeStyle = STATUS_COLOURS.lockedEdge;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.roundRect(px + width / 2, py + width / 2, s - width, s - width, Math.max(0, radius - width / 2));
  ctx.stroke();
  if (s < 22) return;
  const cx = px + s / 2;
  const top = py + s * 0.47;
  ctx.beginPath();
  ctx.arc(cx, top, s * 0.12, Math.PI, 0);
  ctx.stroke();
  ctx.fillStyle = STATUS_COLOURS.lockedEdge;
  ctx.fillRect(cx - s * 0.19, top, s * 0.38, s * 0.26);
}

/** A chosen seat is ringed. */
function paintRing(ctx: Canvas2D, px: number, py: number, s: number, radius: number) {
  const width = Math.max(1.5, s * 0.14);
  ctx.strokeStyle = STATUS_COLOURS.selectedRing;
  ctx.lineWidth = width;
  ctx.beginPath();
  ctx.roundRect(px - width / 2, py - width / 2, s + width, s + width, radius + 1);
  ctx.stroke();
}

/** Row names on both sides of each row in view. */
function paintRowNames(ctx: Canvas2D, { layout, view, size }: Scene) {
  const { scale, x: ox, y: oy } = view;
  const { y0, y1 } = visibleWorld(view, size);
  ctx.fillStyle = INK.label;
  ctx.font = `600 ${Math.min(13, scale * 0.5)}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  // A row end off screen (zoomed in) keeps its name pinned to that edge of the box, on a plate.
  const edge = 6;
  const plate = Math.min(13, scale * 0.5) * 2.6;
  for (const row of layout.rows) {
    if (row.y + 1 < y0 || row.y > y1) continue;
    const cy = oy + (row.y + 0.5) * scale;
    const left = ox + (row.minX - 0.35) * scale;
    const right = ox + (row.maxX + 0.35) * scale;
    for (const [x, align, pinned] of [
      [Math.max(left, edge + plate), 'right', left < edge + plate],
      [Math.min(right, size.width - edge - plate), 'left', right > size.width - edge - plate],
    ] as const) {
      if (pinned) {
        ctx.fillStyle = INK.plate;
        ctx.beginPath();
        ctx.roundRect(align === 'right' ? x - plate : x, cy - plate / 2.6, plate, plate / 1.3, 4);
        ctx.fill();
        ctx.textAlign = 'center';
        ctx.fillStyle = INK.label;
        ctx.fillText(row.name, align === 'right' ? x - plate / 2 : x + plate / 2, cy);
      } else {
        ctx.textAlign = align;
        ctx.fillStyle = INK.label;
        ctx.fillText(row.name, x, cy);
      }
    }
  }
}
