import { useRef, type PointerEvent } from 'react';
import type { Viewport } from './useViewport';
import type { View } from './viewport';

interface Point {
  x: number;
  y: number;
}

/** Movement under this many pixels is a tap, not a drag. */
const DRAG_THRESHOLD = 5;

/**
 * Drag (mouse, pen or one finger) to pan, pinch with two fingers to zoom; a tap on the canvas
 * itself goes to `onTap` with its point in the box. The click that ends a drag is no choice:
 * seat buttons ask `clickEndedDrag()` before acting on a click.
 */
export function usePointerGestures({ view, moveTo, zoomAt }: Viewport, onTap: (x: number, y: number) => void) {
  const pointers = useRef(new Map<number, Point>());
  const drag = useRef<{ id: number; from: Point; moved: boolean; view: View } | null>(null);
  const pinch = useRef<{ distance: number; view: View; centre: Point } | null>(null);
  const suppressClick = useRef(false);

  const twoPointers = () => {
    const [a, b] = [...pointers.current.values()];
    return a && b ? { a, b, distance: Math.hypot(a.x - b.x, a.y - b.y) } : null;
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 && event.pointerType === 'mouse') return;
    suppressClick.current = false;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const two = pointers.current.size === 2 ? twoPointers() : null;
    if (two) {
      const rect = event.currentTarget.getBoundingClientRect();
      pinch.current = { distance: two.distance, view, centre: { x: (two.a.x + two.b.x) / 2 - rect.left, y: (two.a.y + two.b.y) / 2 - rect.top } };
      drag.current = null;
      return;
    }
    drag.current = { id: event.pointerId, from: { x: event.clientX, y: event.clientY }, moved: false, view };
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    if (!pointers.current.has(event.pointerId)) return;
    pointers.current.set(event.pointerId, { x: event.clientX, y: event.clientY });
    const two = pinch.current && pointers.current.size === 2 ? twoPointers() : null;
    if (pinch.current && two) {
      const { distance, view: start, centre } = pinch.current;
      zoomAt(two.distance / distance, centre.x, centre.y, start);
      suppressClick.current = true;
      return;
    }
    const d = drag.current;
    if (!d || d.id !== event.pointerId) return;
    const dx = event.clientX - d.from.x;
    const dy = event.clientY - d.from.y;
    if (!d.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!d.moved) {
      d.moved = true;
      event.currentTarget.setPointerCapture?.(event.pointerId);
    }
    moveTo({ ...d.view, x: d.view.x + dx, y: d.view.y + dy });
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    pointers.current.delete(event.pointerId);
    if (pointers.current.size < 2) pinch.current = null;
    if (!d || d.id !== event.pointerId) return;
    drag.current = null;
    if (d.moved) {
      // The click that ends a drag arrives in this same task.
      suppressClick.current = true;
      window.setTimeout(() => {
        suppressClick.current = false;
      }, 0);
      return;
    }
    // A tap on the canvas itself (seat buttons handle their own clicks).
    if (event.target instanceof HTMLCanvasElement) {
      const rect = event.currentTarget.getBoundingClientRect();
      onTap(event.clientX - rect.left, event.clientY - rect.top);
    }
  };

  return {
    handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp },
    clickEndedDrag: () => {
      if (!suppressClick.current) return false;
      suppressClick.current = false;
      return true;
    },
  };
}
