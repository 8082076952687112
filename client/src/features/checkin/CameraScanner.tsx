import { useEffect, useRef, useState } from 'react';
import { loadDecoder } from './decoder';

/** Frames are decoded about five times a second, at most 640 px wide: quick on a phone, enough for a ticket held up. */
const FRAME_INTERVAL_MS = 200;
const MAX_FRAME_WIDTH = 640;
/** A code stays "the ticket being held up" until it has been out of view this long; then it counts as a new scan. */
const GONE_AFTER_MS = 2000;

type CameraState = { kind: 'off' } | { kind: 'starting' } | { kind: 'on' } | { kind: 'error'; message: string };

function cameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'The camera was not allowed. Allow it in the browser’s site settings, or type the code below.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this device. Type or scan the code below.';
  if (name === 'NotReadableError') return 'The camera is in use by another app. Close it and try again.';
  return 'The camera could not start. Type or scan the code below.';
}

/**
 * Scans QR codes with the device's camera (the back one on phones): each new code goes to `onCode`.
 * The typed or scanner-wedge field stays beside it for when the camera cannot be used.
 */
export function CameraScanner({ onCode }: { onCode: (code: string) => void }) {
  const [state, setState] = useState<CameraState>({ kind: 'off' });
  const videoRef = useRef<HTMLVideoElement>(null);
  const onCodeRef = useRef(onCode);
  useEffect(() => {
    onCodeRef.current = onCode;
  }, [onCode]);
  const running = state.kind === 'starting' || state.kind === 'on';

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const last = { code: '', seenAt: 0 };
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    const start = async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('The camera needs a secure (https) page.', 'SecurityError');
      const [decode, media] = await Promise.all([
        loadDecoder(),
        navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } }, audio: false }),
      ]);
      stream = media;
      if (stopped) return;
      const video = videoRef.current!;
      video.srcObject = media;
      await video.play();
      setState({ kind: 'on' });
      const tick = async () => {
        if (stopped) return;
        if (context && video.videoWidth > 0) {
          const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          const code = await decode(context.getImageData(0, 0, canvas.width, canvas.height)).catch(() => null);
          const now = Date.now();
          if (code && !stopped && (code !== last.code || now - last.seenAt > GONE_AFTER_MS)) onCodeRef.current(code);
          if (code) Object.assign(last, { code, seenAt: now });
        }
        timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
      };
      void tick();
    };
    start().catch((error: unknown) => {
      if (!stopped) setState({ kind: 'error', message: cameraError(error) });
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [running]);

  return (
    <div className="camera">
      {running && (
        <div className="camera-view">
          <video ref={videoRef} muted playsInline aria-label="Camera view: hold the ticket’s QR code inside the frame" />
          <span className="camera-frame" aria-hidden="true" />
        </div>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="form-error">
          {state.message}
        </p>
      )}
      <button
        type="button"
        className={`button ${running ? 'button-secondary' : 'button-primary'} button-block`}
        onClick={() => setState(running ? { kind: 'off' } : { kind: 'starting' })}
        aria-pressed={running}
      >
        {state.kind === 'starting' ? 'Starting camera…' : running ? 'Stop camera' : 'Scan with camera'}
      </button>
    </div>
  );
}
