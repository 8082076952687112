import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { formatMoney } from '../../lib/format';
import { seatKey } from '../../../../shared/seats';
import { FEATURE_NAMES } from '../../../../shared/layout';
import { countSeatsIn, isChoosable, neighbour, seatsIn, type LaidSeat, type SeatLayout, type Tier } from './layout';
import type { Viewport } from './useViewport';
import { seatBox, viewShowing, visibleWorld } from './viewport';

/** At most this many seat buttons in the DOM; beyond it only the focused seat is a button. */
const DOM_SEAT_LIMIT = 400;

function seatStatusText(seat: LaidSeat, selected: boolean): string {
  if (seat.mine) return seat.status === 'SOLD' ? 'your ticket' : 'held by you';
  if (seat.status === 'SOLD') return 'sold';
  if (seat.status === 'RESERVED') return 'reserved';
  if (seat.dimmed && !selected) return 'available, outside your filter';
  if (seat.locked && !selected) return 'presale, needs a code';
  return selected ? 'available, selected' : 'available';
}

/** "Row A seat 5, Front, $120.00, available": what a screen reader says for a seat. */
function seatName(seat: LaidSeat, tier: Tier | undefined, selected: boolean): string {
  const price = tier ? `, ${tier.name}, ${formatMoney(tier.priceCents, tier.currency)}` : '';
  const features = seat.features.map((f) => `, ${FEATURE_NAMES[f].toLowerCase()}`).join('');
  return `Row ${seat.row} seat ${seat.number}${features}${price}, ${seatStatusText(seat, selected)}`;
}

interface SeatButtonsProps {
  layout: SeatLayout;
  viewport: Viewport;
  tiers: ReadonlyMap<string, Tier>;
  selected: ReadonlySet<string>;
  focusKey: string | null;
  onFocusKey: (key: string) => void;
  /** A seat pressed by click, tap on its button, Enter or Space (`fromKeyboard`). */
  onPress: (seat: LaidSeat, fromKeyboard: boolean) => void;
}

/**
 * Real buttons over the seats in view, for keyboards and screen readers: one tab stop (the focused
 * seat, else the first free one), arrow keys move between seats, + and - zoom. Only when few seats
 * are in view; otherwise just the tab stop is a button.
 */
export function SeatButtons({ layout, viewport, tiers, selected, focusKey, onFocusKey, onPress }: SeatButtonsProps) {
  const { view, size } = viewport;
  const containerRef = useRef<HTMLDivElement>(null);
  const focusAfterRender = useRef(false);

  const defaultFocus = useMemo(() => {
    for (const row of layout.rows) for (const seat of row.seats) if ((seat.status === 'AVAILABLE' && !seat.locked) || seat.mine) return seat;
    return layout.rows.find((r) => r.seats.length > 0)?.seats[0];
  }, [layout]);
  const tabSeat = (focusKey ? layout.byKey.get(focusKey) : undefined) ?? defaultFocus;

  const { x0, y0, x1, y1 } = visibleWorld(view, size);
  const buttons: LaidSeat[] = countSeatsIn(layout, x0, y0, x1, y1) <= DOM_SEAT_LIMIT ? [...seatsIn(layout, x0, y0, x1, y1)] : [];
  if (tabSeat && !buttons.includes(tabSeat)) buttons.push(tabSeat);

  useEffect(() => {
    if (!focusAfterRender.current || !focusKey) return;
    focusAfterRender.current = false;
    containerRef.current?.querySelector<HTMLButtonElement>(`[data-seat="${CSS.escape(focusKey)}"]`)?.focus({ preventScroll: true });
  });

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, seat: LaidSeat) => {
    if (event.key === '+' || event.key === '=' || event.key === '-') {
      event.preventDefault();
      viewport.zoomBy(event.key === '-' ? 1 / 1.4 : 1.4);
      return;
    }
    const next = neighbour(layout, seat, event.key);
    if (!next) return;
    event.preventDefault();
    focusAfterRender.current = true;
    onFocusKey(seatKey(next));
    const showing = viewShowing(layout, size, view, next);
    if (showing) viewport.moveTo(showing);
  };

  return (
    <div className="seatmap-buttons" ref={containerRef}>
      {buttons.map((seat) => {
        const key = seatKey(seat);
        const isSelected = selected.has(key);
        const box = seatBox(layout, view, seat);
        return (
          <button
            key={key}
            type="button"
            data-seat={key}
            className="seat-button"
            tabIndex={seat === tabSeat ? 0 : -1}
            aria-pressed={seat.status === 'AVAILABLE' && !seat.mine ? isSelected : undefined}
            aria-disabled={!isChoosable(seat, selected) || undefined}
            aria-label={seatName(seat, tiers.get(seat.tierId), isSelected)}
            style={{ left: box.left, top: box.top, width: Math.max(box.size, 2), height: Math.max(box.size, 2) }}
            onClick={(event) => onPress(seat, event.detail === 0)}
            onKeyDown={(event) => onKeyDown(event, seat)}
            onFocus={() => {
              if (focusKey !== key) onFocusKey(key);
            }}
          />
        );
      })}
    </div>
  );
}
