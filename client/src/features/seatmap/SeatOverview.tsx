import { useEffect, useRef, type PointerEvent } from 'react';
import { STAGE_HEIGHT, type SeatLayout } from './layout';
import type { Viewport } from './useViewport';
import { overviewBox, visibleWorld } from './viewport';

/**
 * The whole venue in a corner, with the part in view framed: where you are once zoomed in. A tap
 * or drag on it moves the view there. Pointer users only: keyboards move seat by seat.
 */
export function SeatOverview({ layout, viewport }: { layout: SeatLayout; viewport: Viewport }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const { view, size, moveTo } = viewport;
  const box = overviewBox(layout, size);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(box.width * ratio);
    canvas.height = Math.round(box.height * ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, box.width, box.height);
    const k = box.scale;
    const stageW = Math.min(layout.width * 0.6, 40);
    ctx.fillStyle = '#9aa3b5';
    ctx.fillRect(((layout.width - stageW) / 2) * k, 0.4 * k, stageW * k, Math.max(2, STAGE_HEIGHT * k));
    ctx.fillStyle = '#cbd5e1';
    for (const row of layout.rows) ctx.fillRect(row.minX * k, row.y * k, (row.maxX - row.minX) * k, Math.max(1, 0.7 * k));
    const { x0, y0, x1, y1 } = visibleWorld(view, size);
    ctx.fillStyle = 'rgba(79, 70, 229, 0.18)';
    ctx.strokeStyle = '#4f46e5';
    ctx.lineWidth = 2;
    ctx.fillRect(Math.max(0, x0 * k), Math.max(0, y0 * k), Math.min(box.width, (x1 - x0) * k), Math.min(box.height, (y1 - y0) * k));
    ctx.strokeRect(Math.max(1, x0 * k), Math.max(1, y0 * k), Math.min(box.width - 2, (x1 - x0) * k), Math.min(box.height - 2, (y1 - y0) * k));
  }, [layout, view, size, box.width, box.height, box.scale]);

  const centreOn = (event: PointerEvent<HTMLCanvasElement>) => {
    event.stopPropagation();
    const rect = event.currentTarget.getBoundingClientRect();
    const wx = (event.clientX - rect.left) / box.scale;
    const wy = (event.clientY - rect.top) / box.scale;
    moveTo({ ...view, x: size.width / 2 - wx * view.scale, y: size.height / 2 - wy * view.scale });
  };

  return (
    <canvas
      ref={canvasRef}
      className="seatmap-overview"
      style={{ width: box.width, height: box.height }}
      aria-hidden="true"
      data-testid="seatmap-overview"
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture?.(event.pointerId);
        centreOn(event);
      }}
      onPointerMove={(event) => {
        if (event.buttons) centreOn(event);
        else event.stopPropagation();
      }}
      onPointerUp={(event) => event.stopPropagation()}
    />
  );
}
