/**
 * Runs `run` every `intervalMs` in the background: never two runs at once in one process, a
 * failure is logged and retried at the next tick, and stop() waits for a run in flight.
 */
export function intervalTask(options: { intervalMs: number; run: () => Promise<void>; onError: (error: unknown) => void }): {
  start(): void;
  stop(): Promise<void>;
} {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
