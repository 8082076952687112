/**
 * Work that runs after the answer is sent (mail, mostly): started at once, never awaited by the
 * request, failures logged. `idle()` waits for everything started so far, so a stop (and a test)
 * can wait for it instead of losing it.
 */
export interface Background {
  run(what: string, task: () => Promise<unknown>): void;
  idle(): Promise<void>;
}

export function createBackground(onError: (error: unknown, what: string) => void): Background {
  const running = new Set<Promise<unknown>>();
  return {
    run(what, task) {
      // setImmediate: the task starts after the current answer has been handed to the socket.
      const promise = new Promise<void>((resolve) => setImmediate(resolve))
        .then(task)
        .catch((error: unknown) => onError(error, what))
        .finally(() => running.delete(promise));
      running.add(promise);
    },
    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
