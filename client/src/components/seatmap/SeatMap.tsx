import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { Seat, SeatMapData, Tier } from '../../lib/api-types';
import { formatMoney } from '../../lib/format';
import {
  countSeatsIn,
  FIRST_ROW_Y,
  layoutSeats,
  neighbour,
  SEAT_SIZE,
  seatAt,
  seatsIn,
  STAGE_HEIGHT,
  STATUS_COLOURS,
  tierColours,
  type LaidSeat,
  type SeatLayout,
} from './layout';

/** At most this many seat buttons in the DOM; beyond it only the focused seat is a button. */
const DOM_SEAT_LIMIT = 400;
const MAX_SCALE = 56;
/** Keyboard focus on a seat smaller than this zooms in so the focused seat can be seen. */
const KEYBOARD_SCALE = 28;
const FALLBACK_SIZE = { width: 800, height: 480 };

interface View {
  scale: number;
  x: number;
  y: number;
}

export interface SeatMapProps {
  map: SeatMapData;
  /** Seat keys ("A:5") the visitor has chosen but not yet held. */
  selected: ReadonlySet<string>;
  onToggle?: (seat: Seat) => void;
  height?: number;
  label?: string;
}

export function seatStatusText(seat: Pick<LaidSeat, 'status' | 'mine'>, selected: boolean): string {
  if (seat.mine) return seat.status === 'SOLD' ? 'your ticket' : 'held by you';
  if (seat.status === 'SOLD') return 'sold';
  if (seat.status === 'RESERVED') return 'reserved';
  return selected ? 'available, selected' : 'available';
}

export function seatName(seat: LaidSeat, tier: Tier | undefined, selected: boolean): string {
  const price = tier ? `, ${tier.name}, ${formatMoney(tier.priceCents, tier.currency)}` : '';
  return `Row ${seat.row} seat ${seat.number}${price}, ${seatStatusText(seat, selected)}`;
}

function fitView(layout: SeatLayout, width: number, height: number): View {
  const scale = Math.min(MAX_SCALE, Math.max(0.5, Math.min(width / layout.width, height / layout.height)));
  return { scale, x: (width - layout.width * scale) / 2, y: (height - layout.height * scale) / 2 };
}

function draw(canvas: HTMLCanvasElement, layout: SeatLayout, view: View, size: { width: number; height: number }, colours: Map<string, string>, selected: ReadonlySet<string>, focusKey: string | null) {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const dpr = window.devicePixelRatio || 1;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, size.width, size.height);
  const { scale, x: ox, y: oy } = view;

  // Stage.
  ctx.fillStyle = '#e7eaf0';
  const stageW = Math.min(layout.width * 0.6, 40);
  const stageX = ox + ((layout.width - stageW) / 2) * scale;
  ctx.beginPath();
  ctx.roundRect(stageX, oy + 0.4 * scale, stageW * scale, STAGE_HEIGHT * scale, Math.min(12, scale * 0.4));
  ctx.fill();
  if (scale * STAGE_HEIGHT > 14) {
    ctx.fillStyle = '#5b6475';
    ctx.font = `600 ${Math.min(16, scale * 0.7)}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText('STAGE', stageX + (stageW * scale) / 2, oy + (0.4 + STAGE_HEIGHT / 2) * scale);
  }

  const x0 = -ox / scale;
  const y0 = -oy / scale;
  const x1 = (size.width - ox) / scale;
  const y1 = (size.height - oy) / scale;
  const s = SEAT_SIZE * scale;
  const pad = ((1 - SEAT_SIZE) / 2) * scale;
  const tiny = s < 5;
  const radius = Math.min(s * 0.28, 6);
  let fill = '';

  for (const seat of seatsIn(layout, x0 - 1, y0 - 1, x1 + 1, y1 + 1)) {
    const row = layout.rows[seat.rowIndex]!;
    const px = ox + (row.startX + seat.index) * scale + pad;
    const py = oy + (FIRST_ROW_Y + seat.rowIndex) * scale + pad;
    const key = `${seat.row}:${seat.number}`;
    const isSelected = selected.has(key);
    const colour = seat.mine
      ? STATUS_COLOURS.mine
      : seat.status === 'SOLD'
        ? STATUS_COLOURS.sold
        : seat.status === 'RESERVED'
          ? STATUS_COLOURS.reserved
          : (colours.get(seat.tierId) ?? '#64748b');
    if (colour !== fill) {
      ctx.fillStyle = colour;
      fill = colour;
    }
    if (tiny) {
      ctx.fillRect(px, py, s, s);
      if (isSelected) {
        ctx.strokeStyle = STATUS_COLOURS.selectedRing;
        ctx.lineWidth = Math.max(1, s * 0.3);
        ctx.strokeRect(px, py, s, s);
      }
      continue;
    }
    ctx.beginPath();
    ctx.roundRect(px, py, s, s, radius);
    ctx.fill();
    if (seat.status === 'SOLD' && !seat.mine && s > 10) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = Math.max(1, s * 0.08);
      ctx.beginPath();
      ctx.moveTo(px + s * 0.3, py + s * 0.3);
      ctx.lineTo(px + s * 0.7, py + s * 0.7);
      ctx.moveTo(px + s * 0.7, py + s * 0.3);
      ctx.lineTo(px + s * 0.3, py + s * 0.7);
      ctx.stroke();
    }
    if (seat.mine || isSelected) {
      if (isSelected) {
        ctx.strokeStyle = STATUS_COLOURS.selectedRing;
        ctx.lineWidth = Math.max(1.5, s * 0.14);
        ctx.beginPath();
        ctx.roundRect(px - ctx.lineWidth / 2, py - ctx.lineWidth / 2, s + ctx.lineWidth, s + ctx.lineWidth, radius + 1);
        ctx.stroke();
      }
      ctx.fillStyle = seat.mine && seat.status !== 'SOLD' ? '#fbbf24' : '#ffffff';
      ctx.beginPath();
      ctx.arc(px + s / 2, py + s / 2, Math.max(1, s * 0.18), 0, Math.PI * 2);
      ctx.fill();
      fill = '';
    } else if (s >= 22) {
      ctx.fillStyle = seat.status === 'RESERVED' ? '#475063' : '#ffffff';
      ctx.font = `600 ${Math.min(13, s * 0.42)}px system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      if (seat.status !== 'SOLD') ctx.fillText(String(seat.number), px + s / 2, py + s / 2 + 0.5);
      fill = '';
    }
    if (key === focusKey) {
      ctx.strokeStyle = '#4f46e5';
      ctx.lineWidth = 3;
      ctx.strokeRect(px - 4, py - 4, s + 8, s + 8);
    }
  }

  // Row names on both sides once they are readable.
  if (scale >= 11) {
    ctx.fillStyle = '#5b6475';
    ctx.font = `600 ${Math.min(13, scale * 0.5)}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    const r0 = Math.max(0, Math.floor(y0 - FIRST_ROW_Y));
    const r1 = Math.min(layout.rows.length - 1, Math.floor(y1 - FIRST_ROW_Y));
    for (let r = r0; r <= r1; r++) {
      const row = layout.rows[r]!;
      const cy = oy + (FIRST_ROW_Y + r + 0.5) * scale;
      ctx.textAlign = 'right';
      ctx.fillText(row.name, ox + (row.startX - 0.35) * scale, cy);
      ctx.textAlign = 'left';
      ctx.fillText(row.name, ox + (row.startX + row.seats.length + 0.35) * scale, cy);
    }
  }
}

/**
 * The venue drawn on one canvas (fast at any size), with real buttons over the seats in view for
 * keyboards and screen readers. Drag or swipe to pan; wheel, pinch or the buttons to zoom.
 */
export function SeatMap({ map, selected, onToggle, height = 480, label = 'Seat map' }: SeatMapProps) {
  const layout = useMemo(() => layoutSeats(map), [map]);
  const tiers = useMemo(() => new Map(map.tiers.map((t) => [t.id, t])), [map.tiers]);
  const colours = useMemo(() => tierColours(map.tiers), [map.tiers]);
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState(FALLBACK_SIZE);
  const [view, setView] = useState<View | null>(null);
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [hasFocus, setHasFocus] = useState(false);
  const focusAfterRender = useRef(false);
  const drag = useRef<{ id: number; x: number; y: number; moved: boolean; view: View } | null>(null);
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ distance: number; view: View; cx: number; cy: number } | null>(null);
  const suppressClick = useRef(false);

  // Measure the container (happy-dom and first paint report 0: keep a sensible size then).
  useLayoutEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const measure = () => {
      const width = element.clientWidth || FALLBACK_SIZE.width;
      // A small or wide venue gets a shorter box instead of empty space above and below it.
      const fitted = Math.ceil(layout.height * Math.min(MAX_SCALE, width / layout.width)) + 32;
      const h = Math.max(Math.min(220, height), Math.min(height, fitted));
      setSize((old) => (old.width === width && old.height === h ? old : { width, height: h }));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [height, layout]);

  // A new venue shape (or a new size) starts from the whole venue in view.
  const shape = `${layout.rows.length}x${layout.width}`;
  const fittedFor = useRef('');
  useEffect(() => {
    const key = `${shape}@${size.width}x${size.height}`;
    if (fittedFor.current === key) return;
    fittedFor.current = key;
    setView(fitView(layout, size.width, size.height));
  }, [layout, shape, size]);

  const current = view ?? fitView(layout, size.width, size.height);

  const clampView = useCallback(
    (next: View): View => {
      const fit = fitView(layout, size.width, size.height);
      const scale = Math.min(MAX_SCALE, Math.max(fit.scale * 0.8, next.scale));
      // Keep at least a quarter of the view on the venue.
      const w = layout.width * scale;
      const h = layout.height * scale;
      const x = Math.min(size.width * 0.75, Math.max(size.width * 0.25 - w, next.x));
      const y = Math.min(size.height * 0.75, Math.max(size.height * 0.25 - h, next.y));
      return { scale, x, y };
    },
    [layout, size],
  );

  const zoomAt = useCallback(
    (factor: number, cx: number, cy: number, from?: View) => {
      setView((old) => {
        const base = from ?? old ?? fitView(layout, size.width, size.height);
        const scale = Math.min(MAX_SCALE, Math.max(0.3, base.scale * factor));
        const k = scale / base.scale;
        return clampView({ scale, x: cx - (cx - base.x) * k, y: cy - (cy - base.y) * k });
      });
    },
    [clampView, layout, size],
  );

  // Draw once per frame at most, whatever changed.
  const frame = useRef(0);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size.width * dpr) || canvas.height !== Math.round(size.height * dpr)) {
      canvas.width = Math.round(size.width * dpr);
      canvas.height = Math.round(size.height * dpr);
    }
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const started = performance.now();
      draw(canvas, layout, current, size, colours, selected, hasFocus ? focusKey : null);
      // Read by the browser test that measures a 20,000-seat venue.
      canvas.dataset.drawMs = (performance.now() - started).toFixed(2);
      canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
    });
    return () => cancelAnimationFrame(frame.current);
  }, [layout, current, size, colours, selected, focusKey, hasFocus]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = element.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [zoomAt]);

  const focusSeat = focusKey ? layout.byKey.get(focusKey) : undefined;
  const defaultFocus = useMemo(() => {
    for (const row of layout.rows) for (const seat of row.seats) if (seat.status === 'AVAILABLE' || seat.mine) return seat;
    return layout.rows.find((r) => r.seats.length > 0)?.seats[0];
  }, [layout]);
  const tabSeat = focusSeat ?? defaultFocus;

  // Buttons for the seats in view, when few enough; the tab stop seat is always one.
  const x0 = -current.x / current.scale;
  const y0 = -current.y / current.scale;
  const x1 = (size.width - current.x) / current.scale;
  const y1 = (size.height - current.y) / current.scale;
  const inView = countSeatsIn(layout, x0, y0, x1, y1);
  const buttons: LaidSeat[] = inView <= DOM_SEAT_LIMIT ? [...seatsIn(layout, x0, y0, x1, y1)] : [];
  if (tabSeat && !buttons.includes(tabSeat)) buttons.push(tabSeat);

  useEffect(() => {
    if (!focusAfterRender.current || !focusKey) return;
    focusAfterRender.current = false;
    containerRef.current?.querySelector<HTMLButtonElement>(`[data-seat="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
  });

  /** Brings a keyboard-focused seat into view, zooming in when seats are too small to see. */
  const showSeat = (seat: LaidSeat) => {
    const row = layout.rows[seat.rowIndex]!;
    const wx = row.startX + seat.index + 0.5;
    const wy = FIRST_ROW_Y + seat.rowIndex + 0.5;
    if (current.scale < KEYBOARD_SCALE * 0.6) {
      setView(clampView({ scale: KEYBOARD_SCALE, x: size.width / 2 - wx * KEYBOARD_SCALE, y: size.height / 2 - wy * KEYBOARD_SCALE }));
      return;
    }
    const sx = current.x + wx * current.scale;
    const sy = current.y + wy * current.scale;
    const margin = current.scale * 1.5;
    if (sx < margin || sx > size.width - margin || sy < margin || sy > size.height - margin) {
      setView(clampView({ ...current, x: size.width / 2 - wx * current.scale, y: size.height / 2 - wy * current.scale }));
    }
  };

  const onSeatKey = (event: KeyboardEvent<HTMLButtonElement>, seat: LaidSeat) => {
    if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      zoomAt(1.4, size.width / 2, size.height / 2);
      return;
    }
    if (event.key === '-') {
      event.preventDefault();
      zoomAt(1 / 1.4, size.width / 2, size.height / 2);
      return;
    }
    const next = neighbour(layout, seat, event.key);
    if (!next) return;
    event.preventDefault();
    focusAfterRender.current = true;
    setFocusKey(`${next.row}:${next.number}`);
    showSeat(next);
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    suppressClick.current = false;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const rect = event.currentTarget.getBoundingClientRect();
      pinch.current = { distance: Math.hypot(a.x - b.x, a.y - b.y), view: current, cx: (a.x + b.x) / 2 - rect.left, cy: (a.y + b.y) / 2 - rect.top };
      drag.current = null;
      return;
    }
    drag.current = { id: event.pointerId, x: event.clientX, y: event.clientY, moved: false, view: current };
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!pointers.current.has(event.pointerId)) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    if (pinch.current && pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const { distance, view: start, cx, cy } = pinch.current;
      zoomAt(Math.hypot(a.x - b.x, a.y - b.y) / distance, cx, cy, start);
      suppressClick.current = true;
      return;
    }
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    const dx = event.clientX - d.x;
    const dy = event.clientY - d.y;
    if (!d.moved && Math.hypot(dx, dy) < 5) return;
    if (!d.moved) {
      d.moved = true;
      event.currentTarget.setPointerCapture?.(event.pointerId);
    }
    setView(clampView({ ...d.view, x: d.view.x + dx, y: d.view.y + dy }));
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
    if (!d || d.id !== event.pointerId) return;
    drag.current = null;
    if (d.moved) {
      // The click that ends a drag is not a choice; it arrives in this same task.
      suppressClick.current = true;
      window.setTimeout(() => {
        suppressClick.current = false;
      }, 0);
      return;
    }
    // A tap on the canvas itself (seat buttons handle their own clicks).
    if (event.target === canvasRef.current && onToggle) {
      const rect = event.currentTarget.getBoundingClientRect();
      const seat = seatAt(layout, (event.clientX - rect.left - current.x) / current.scale, (event.clientY - rect.top - current.y) / current.scale);
      if (seat && (seat.status === 'AVAILABLE' || selected.has(`${seat.row}:${seat.number}`)) && !seat.mine) {
        setFocusKey(`${seat.row}:${seat.number}`);
        onToggle({ row: seat.row, number: seat.number });
      }
    }
  };

  const onSeatClick = (seat: LaidSeat, fromKeyboard: boolean) => {
    if (suppressClick.current && !fromKeyboard) {
      suppressClick.current = false;
      return;
    }
    setFocusKey(`${seat.row}:${seat.number}`);
    const key = `${seat.row}:${seat.number}`;
    if (!onToggle || seat.mine || (seat.status !== 'AVAILABLE' && !selected.has(key))) return;
    onToggle({ row: seat.row, number: seat.number });
  };

  const seatPx = SEAT_SIZE * current.scale;
  const pad = ((1 - SEAT_SIZE) / 2) * current.scale;
  const available = useMemo(() => layout.rows.reduce((n, r) => n + r.seats.filter((s) => s.status === 'AVAILABLE').length, 0), [layout]);

  return (
    <div className="seatmap">
      <div className="seatmap-toolbar">
        <p className="muted small seatmap-hint" id="seatmap-help">
          {layout.total.toLocaleString('en-US')} seats, {available.toLocaleString('en-US')} available. Drag to move, scroll or pinch to zoom;
          arrow keys move between seats, Enter or Space chooses one.
        </p>
        <div className="seatmap-zoom" role="group" aria-label="Zoom">
          <button type="button" className="icon-button" aria-label="Zoom in" onClick={() => zoomAt(1.5, size.width / 2, size.height / 2)}>
            +
          </button>
          <button type="button" className="icon-button" aria-label="Zoom out" onClick={() => zoomAt(1 / 1.5, size.width / 2, size.height / 2)}>
            −
          </button>
          <button type="button" className="button button-ghost button-small" onClick={() => setView(fitView(layout, size.width, size.height))}>
            Show all
          </button>
        </div>
      </div>
      <div
        ref={containerRef}
        className="seatmap-stage"
        style={{ height: size.height }}
        role="group"
        aria-label={label}
        aria-describedby="seatmap-help"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onFocus={() => setHasFocus(true)}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setHasFocus(false);
        }}
      >
        <canvas ref={canvasRef} className="seatmap-canvas" style={{ width: size.width, height: size.height }} aria-hidden="true" />
        <div className="seatmap-buttons">
          {buttons.map((seat) => {
            const key = `${seat.row}:${seat.number}`;
            const row = layout.rows[seat.rowIndex]!;
            const isSelected = selected.has(key);
            const unavailable = seat.mine || (seat.status !== 'AVAILABLE' && !isSelected);
            return (
              <button
                key={key}
                type="button"
                data-seat={key}
                className="seat-button"
                tabIndex={seat === tabSeat ? 0 : -1}
                aria-pressed={seat.status === 'AVAILABLE' && !seat.mine ? isSelected : undefined}
                aria-disabled={unavailable || undefined}
                aria-label={seatName(seat, tiers.get(seat.tierId), isSelected)}
                style={{
                  left: current.x + (row.startX + seat.index) * current.scale + pad,
                  top: current.y + (FIRST_ROW_Y + seat.rowIndex) * current.scale + pad,
                  width: Math.max(seatPx, 2),
                  height: Math.max(seatPx, 2),
                }}
                onClick={(event) => onSeatClick(seat, event.detail === 0)}
                onKeyDown={(event) => onSeatKey(event, seat)}
                onFocus={() => {
                  if (focusKey !== key) setFocusKey(key);
                }}
              />
            );
          })}
        </div>
      </div>
      <SeatLegend tiers={map.tiers} colours={colours} />
    </div>
  );
}

export function SeatLegend({ tiers, colours }: { tiers: Tier[]; colours: Map<string, string> }) {
  return (
    <ul className="legend" aria-label="Legend">
      {tiers.map((tier) => (
        <li key={tier.id}>
          <span className="swatch" style={{ background: colours.get(tier.id) }} aria-hidden="true" />
          {tier.name} · {formatMoney(tier.priceCents, tier.currency)}
        </li>
      ))}
      <li>
        <span className="swatch swatch-selected" aria-hidden="true" />
        Your selection
      </li>
      <li>
        <span className="swatch swatch-mine" aria-hidden="true" />
        Held by you
      </li>
      <li>
        <span className="swatch swatch-yours" aria-hidden="true" />
        Your tickets
      </li>
      <li>
        <span className="swatch" style={{ background: STATUS_COLOURS.reserved }} aria-hidden="true" />
        Reserved
      </li>
      <li>
        <span className="swatch swatch-sold" style={{ background: STATUS_COLOURS.sold }} aria-hidden="true" />
        Sold
      </li>
    </ul>
  );
}
