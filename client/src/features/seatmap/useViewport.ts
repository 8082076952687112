import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { SEAT_SIZE, type SeatLayout } from './layout';
import { clampView, fitView, MAX_SCALE, startView, TAP_SEAT_PX, zoomView, type Size, type View } from './viewport';

const FALLBACK_SIZE: Size = { width: 800, height: 480 };

/**
 * The box the map is drawn in and the view of the venue inside it: measured from the container,
 * fitted to a new venue or box size, zoomed by the wheel (and by callers), always kept in bounds.
 * The caller owns the container's ref, so the viewport handed to children holds no ref.
 */
export function useViewport(containerRef: RefObject<HTMLDivElement | null>, layout: SeatLayout, height: number) {
  const [size, setSize] = useState(FALLBACK_SIZE);
  const [view, setView] = useState<View | null>(null);

  // Measure the container (happy-dom and first paint report 0: keep a sensible size then).
  useLayoutEffect(() => {
    const element = containerRef.current;
    if (!element) return;
    const measure = () => {
      const width = element.clientWidth || FALLBACK_SIZE.width;
      // A small or wide venue gets a shorter box instead of empty space above and below it.
      const fitted = Math.ceil(layout.height * Math.min(MAX_SCALE, width / layout.width)) + 32;
      // A big venue on a phone starts zoomed in (startView): it gets the full height to move in.
      const zoomedStart = width < 640 && Math.min(MAX_SCALE, width / layout.width) * SEAT_SIZE < TAP_SEAT_PX;
      const h = zoomedStart ? height : Math.max(Math.min(220, height), Math.min(height, fitted));
      setSize((old) => (old.width === width && old.height === h ? old : { width, height: h }));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [containerRef, height, layout]);

  // A new venue shape (or a new size) starts from the whole venue in view.
  const shape = `${layout.rows.length}x${layout.width}`;
  const fittedFor = useRef('');
  useEffect(() => {
    const key = `${shape}@${size.width}x${size.height}`;
    if (fittedFor.current === key) return;
    fittedFor.current = key;
    setView(startView(layout, size));
  }, [layout, shape, size]);

  const zoomAt = useCallback(
    (factor: number, cx: number, cy: number, from?: View) =>
      setView((old) => zoomView(layout, size, from ?? old ?? fitView(layout, size), factor, cx, cy)),
    [layout, size],
  );

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
  }, [containerRef, zoomAt]);

  return {
    size,
    view: view ?? startView(layout, size),
    /** Moves to `next`, kept in bounds. */
    moveTo: useCallback((next: View) => setView(clampView(layout, size, next)), [layout, size]),
    zoomAt,
    /** Zooms around the middle of the box. */
    zoomBy: useCallback((factor: number) => zoomAt(factor, size.width / 2, size.height / 2), [zoomAt, size]),
    showAll: useCallback(() => setView(fitView(layout, size)), [layout, size]),
  };
}

export type Viewport = ReturnType<typeof useViewport>;
