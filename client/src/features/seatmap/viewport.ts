import { SEAT_SIZE, type LaidSeat, type SeatLayout } from './layout';

/** How the venue (world units, one seat pitch = 1) sits on screen: pixels per unit, and where the world's origin is. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const MAX_SCALE = 56;
/** Keyboard focus on a seat smaller than this zooms in so the focused seat can be seen. */
export const KEYBOARD_SCALE = 28;

/** The whole venue in view, centred. */
export function fitView(layout: SeatLayout, size: Size): View {
  const scale = Math.min(MAX_SCALE, Math.max(0.5, Math.min(size.width / layout.width, size.height / layout.height)));
  return { scale, x: (size.width - layout.width * scale) / 2, y: (size.height - layout.height * scale) / 2 };
}

/** Seats smaller than this (CSS px) are too small to aim at with a finger: a tap zooms in instead of choosing. */
export const TAP_SEAT_PX = 14;
/** The seat size (CSS px) a tap on a too-small map zooms to, and a phone's first view of a big venue shows. */
export const READABLE_SEAT_PX = 26;
/** How far from a tap (CSS px) a seat may be and still be the one meant: half a fingertip. */
export const TAP_RADIUS_PX = 22;

/**
 * The first view of a venue: all of it when its seats are big enough to tap, else (a big venue on
 * a phone) readable seats at the front and centre, the best part of the hall, stage in view; the
 * overview in the corner shows where that is, and "Show all" shows everything.
 */
export function startView(layout: SeatLayout, size: Size): View {
  const fit = fitView(layout, size);
  if (fit.scale * SEAT_SIZE >= TAP_SEAT_PX || size.width >= 640) return fit;
  const scale = READABLE_SEAT_PX / SEAT_SIZE;
  return clampView(layout, size, { scale, x: size.width / 2 - (layout.width / 2) * scale, y: 8 });
}

/** The small overview of the whole venue, in the box's bottom-right corner (CSS px). */
export function overviewBox(layout: SeatLayout, size: Size) {
  const width = Math.min(120, size.width * 0.3);
  const height = Math.min(90, (width * layout.height) / layout.width);
  const scale = Math.min(width / layout.width, height / layout.height);
  return { width: layout.width * scale, height: layout.height * scale, scale };
}

/** Whether the view leaves part of the venue out (then the overview is worth showing). */
export function showsPart(layout: SeatLayout, size: Size, view: View): boolean {
  const { x0, y0, x1, y1 } = visibleWorld(view, size);
  return x0 > 0.5 || y0 > 0.5 || x1 < layout.width - 0.5 || y1 < layout.height - 0.5;
}

/** A view that stays usable: not much smaller than the fit, and at least a quarter of it on the venue. */
export function clampView(layout: SeatLayout, size: Size, next: View): View {
  const fit = fitView(layout, size);
  const scale = Math.min(MAX_SCALE, Math.max(fit.scale * 0.8, next.scale));
  const w = layout.width * scale;
  const h = layout.height * scale;
  const x = Math.min(size.width * 0.75, Math.max(size.width * 0.25 - w, next.x));
  const y = Math.min(size.height * 0.75, Math.max(size.height * 0.25 - h, next.y));
  return { scale, x, y };
}

/** `base` zoomed by `factor` around the screen point (cx, cy), which stays where it is. */
export function zoomView(layout: SeatLayout, size: Size, base: View, factor: number, cx: number, cy: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(0.3, base.scale * factor));
  const k = scale / base.scale;
  return clampView(layout, size, { scale, x: cx - (cx - base.x) * k, y: cy - (cy - base.y) * k });
}

/** The world rectangle the screen shows. */
export function visibleWorld(view: View, size: Size) {
  return { x0: -view.x / view.scale, y0: -view.y / view.scale, x1: (size.width - view.x) / view.scale, y1: (size.height - view.y) / view.scale };
}

/** Where a seat's square is on screen, in CSS pixels. */
export function seatBox(layout: SeatLayout, view: View, seat: LaidSeat) {
  const row = layout.rows[seat.rowIndex]!;
  const pad = ((1 - SEAT_SIZE) / 2) * view.scale;
  return {
    left: view.x + seat.x * view.scale + pad,
    top: view.y + row.y * view.scale + pad,
    size: SEAT_SIZE * view.scale,
  };
}

/**
 * The view that shows a keyboard-focused seat: zoomed in when seats are too small to see, moved
 * when the seat is near an edge; null when it is in sight already.
 */
export function viewShowing(layout: SeatLayout, size: Size, view: View, seat: LaidSeat): View | null {
  const wx = seat.x + 0.5;
  const wy = layout.rows[seat.rowIndex]!.y + 0.5;
  if (view.scale < KEYBOARD_SCALE * 0.6) {
    return clampView(layout, size, { scale: KEYBOARD_SCALE, x: size.width / 2 - wx * KEYBOARD_SCALE, y: size.height / 2 - wy * KEYBOARD_SCALE });
  }
  const sx = view.x + wx * view.scale;
  const sy = view.y + wy * view.scale;
  const margin = view.scale * 1.5;
  if (sx >= margin && sx <= size.width - margin && sy >= margin && sy <= size.height - margin) return null;
  return clampView(layout, size, { ...view, x: size.width / 2 - wx * view.scale, y: size.height / 2 - wy * view.scale });
}
