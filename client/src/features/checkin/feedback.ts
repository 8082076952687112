/**
 * What the door hears and feels: one high beep to admit, two low ones to stop. Web Audio needs a
 * user gesture first; the page calls `unlock()` from its first button press.
 */
let audio: AudioContext | null = null;

export function unlockFeedback(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

export function signal(kind: 'ok' | 'stop' | 'queued'): void {
  const pattern = kind === 'ok' ? [120] : kind === 'stop' ? [90, 60, 90] : [40];
  navigator.vibrate?.(pattern);
  if (!audio) return;
  const tones =
    kind === 'ok'
      ? [[880, 0, 0.12]]
      : kind === 'stop'
        ? [
            [220, 0, 0.12],
            [220, 0.18, 0.12],
          ]
        : [[440, 0, 0.06]];
  for (const [frequency, start, length] of tones as Array<[number, number, number]>) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = frequency;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length);
  }
}
