import { useEffect, useRef } from 'react';
import { paintSeatMap, type Scene } from './paint';

/** The venue painted on one canvas, at most once per frame whatever changed. */
export function SeatCanvas(scene: Omit<Scene, 'pixelRatio'>) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const frame = useRef(0);
  const { layout, view, size, colours, selected, focusKey } = scene;

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const pixelRatio = window.devicePixelRatio || 1;
    const width = Math.round(size.width * pixelRatio);
    const height = Math.round(size.height * pixelRatio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      const started = performance.now();
      paintSeatMap(ctx, { layout, view, size, colours, selected, focusKey, pixelRatio });
      // Read by the browser test that measures a 20,000-seat venue.
      canvas.dataset.drawMs = (performance.now() - started).toFixed(2);
      canvas.dataset.draws = String(Number(canvas.dataset.draws ?? 0) + 1);
    });
    return () => cancelAnimationFrame(frame.current);
  }, [layout, view, size, colours, selected, focusKey]);

  return <canvas ref={canvasRef} className="seatmap-canvas" style={{ width: size.width, height: size.height }} aria-hidden="true" />;
}
