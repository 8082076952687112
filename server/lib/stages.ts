/**
 * Times the stages of a start or a stop, for one log line that says where the time went: a start or
 * shutdown that hangs breaks rolling deploys, and the line names the stage it hung in.
 */
export interface Stages {
  run<T>(name: string, work: () => Promise<T> | T): Promise<T>;
  /** Milliseconds per stage, in the order they ran. */
  readonly ms: Record<string, number>;
}

export function stages(): Stages {
  const ms: Record<string, number> = {};
  return {
    ms,
    async run(name, work) {
      const started = performance.now();
      try {
        return await work();
      } finally {
        ms[name] = Math.round(performance.now() - started);
      }
    },
  };
}
