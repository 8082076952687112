import { useEffect, useMemo, useRef, useState } from 'react';
import { seatKey } from '../../../../shared/seats';
import { type Seat } from '../../lib/seats';
import { tierColours } from './colours';
import {
  featuresOf,
  isChoosable,
  layoutSeats,
  nearestChoosableSeat,
  SEAT_SIZE,
  seatFilter,
  type LaidSeat,
  type SeatFilter,
  type SeatMapData,
} from './layout';
import { SeatButtons } from './SeatButtons';
import { SeatCanvas } from './SeatCanvas';
import { SeatLegend } from './SeatLegend';
import { SeatOverview } from './SeatOverview';
import { READABLE_SEAT_PX, seatBox, showsPart, TAP_RADIUS_PX, TAP_SEAT_PX, viewShowing } from './viewport';
import { usePointerGestures } from './usePointerGestures';
import { useViewport } from './useViewport';

export type { SeatMapData } from './layout';

export interface SeatMapProps {
  map: SeatMapData;
  /** Seat keys ("A:5") the visitor has chosen but not yet held. */
  selected: ReadonlySet<string>;
  onToggle?: (seat: Seat) => void;
  height?: number;
  label?: string;
  /** Seats to bring into view once (best available just held them); a new `key` moves again. */
  reveal?: { key: string; seats: Seat[] } | null;
  /** 'tiers' for a staff preview: the legend lists the tiers only (no shopper's selection or holds). */
  legend?: 'shopper' | 'tiers';
  /** Seats outside it are drawn faint and cannot be chosen (a shopper looking for wheelchair spaces). */
  filter?: SeatFilter;
  /** Tier ids whose free seats cannot be chosen: a presale the shopper has no code for (drawn locked). */
  lockedTiers?: ReadonlySet<string>;
}

const NO_LOCKED_TIERS: ReadonlySet<string> = new Set();

/**
 * The venue drawn on one canvas (fast at any size), with real buttons over the seats in view for
 * keyboards and screen readers. Drag or swipe to pan; wheel, pinch or the buttons to zoom.
 */
export function SeatMap({
  map,
  selected,
  onToggle,
  height = 480,
  label = 'Seat map',
  reveal = null,
  legend = 'shopper',
  filter = 'all',
  lockedTiers = NO_LOCKED_TIERS,
}: SeatMapProps) {
  const layout = useMemo(() => layoutSeats(map, seatFilter(filter), lockedTiers), [map, filter, lockedTiers]);
  const features = useMemo(() => featuresOf(map), [map]);
  const tiers = useMemo(() => new Map(map.tiers.map((t) => [t.id, t])), [map.tiers]);
  const colours = useMemo(() => tierColours(map.tiers), [map.tiers]);
  const { available, locked } = useMemo(() => {
    let free = 0;
    let presale = 0;
    for (const row of layout.rows)
      for (const seat of row.seats) {
        if (seat.locked) presale += 1;
        else if (seat.status === 'AVAILABLE') free += 1;
      }
    return { available: free, locked: presale };
  }, [layout]);
  const containerRef = useRef<HTMLDivElement>(null);
  const viewport = useViewport(containerRef, layout, height);
  const { view, size } = viewport;
  const [focusKey, setFocusKey] = useState<string | null>(null);
  const [hasFocus, setHasFocus] = useState(false);

  // Seats held for the visitor elsewhere on a zoomed-in map are brought into view, once per hold.
  const revealKey = reveal?.key ?? null;
  const revealed = useRef<string | null>(null);
  const { moveTo } = viewport;
  useEffect(() => {
    if (!reveal || revealed.current === reveal.key) return;
    const seats = reveal.seats.map((s) => layout.byKey.get(seatKey(s))).filter((s) => s !== undefined);
    const middle = seats[Math.floor(seats.length / 2)];
    if (!middle) return;
    revealed.current = reveal.key;
    const showing = viewShowing(layout, size, view, middle);
    if (showing) moveTo(showing);
    // Only a new hold moves the map; later pans by the visitor are theirs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealKey, layout]);

  const toggle = (seat: LaidSeat) => onToggle?.({ row: seat.row, number: seat.number });
  // A tap on a map too small to aim at zooms in around the finger; otherwise it picks the
  // choosable seat nearest to it (in a gap, or a finger wider than a seat, still finds one).
  const tooSmall = view.scale * SEAT_SIZE < TAP_SEAT_PX;
  const gestures = usePointerGestures(viewport, (x, y) => {
    if (tooSmall) return viewport.zoomAt(READABLE_SEAT_PX / SEAT_SIZE / view.scale, x, y);
    const seat = nearestChoosableSeat(layout, (x - view.x) / view.scale, (y - view.y) / view.scale, TAP_RADIUS_PX / view.scale, selected);
    if (!onToggle || !seat) return;
    setFocusKey(seatKey(seat));
    toggle(seat);
  });
  const press = (seat: LaidSeat, fromKeyboard: boolean) => {
    if (!fromKeyboard && gestures.clickEndedDrag()) return;
    if (!fromKeyboard && tooSmall) {
      const box = seatBox(layout, view, seat);
      return viewport.zoomAt(READABLE_SEAT_PX / SEAT_SIZE / view.scale, box.left + box.size / 2, box.top + box.size / 2);
    }
    setFocusKey(seatKey(seat));
    if (isChoosable(seat, selected)) toggle(seat);
  };

  return (
    <div className="seatmap">
      <div className="seatmap-toolbar">
        <p className="muted small seatmap-hint" id="seatmap-help">
          {layout.total.toLocaleString('en-US')} seats, {available.toLocaleString('en-US')} available
          {locked > 0 && `, ${locked.toLocaleString('en-US')} more in a presale (code needed)`}.{' '}
          {tooSmall ? 'Tap the map to zoom in, then tap a seat to choose it.' : 'Tap or click a seat to choose it.'} Drag to move, pinch or scroll to
          zoom; arrow keys move between seats, Enter or Space chooses one.
        </p>
        <div className="seatmap-zoom" role="group" aria-label="Zoom">
          <button type="button" className="icon-button" aria-label="Zoom in" onClick={() => viewport.zoomBy(1.5)}>
            +
          </button>
          <button type="button" className="icon-button" aria-label="Zoom out" onClick={() => viewport.zoomBy(1 / 1.5)}>
            −
          </button>
          <button type="button" className="button button-ghost button-small" onClick={viewport.showAll}>
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
        {...gestures.handlers}
        onFocus={() => setHasFocus(true)}
        onBlur={(e) => {
          if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) setHasFocus(false);
        }}
      >
        {showsPart(layout, size, view) && <SeatOverview layout={layout} viewport={viewport} />}
        <SeatCanvas layout={layout} view={view} size={size} colours={colours} selected={selected} focusKey={hasFocus ? focusKey : null} />
        <SeatButtons
          layout={layout}
          viewport={viewport}
          tiers={tiers}
          selected={selected}
          focusKey={focusKey}
          onFocusKey={setFocusKey}
          onPress={press}
        />
      </div>
      <SeatLegend tiers={map.tiers} colours={colours} tiersOnly={legend === 'tiers'} features={features} locked={locked > 0} />
    </div>
  );
}
