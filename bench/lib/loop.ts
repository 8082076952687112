/**
 * Runs `workers` concurrent loops of `step` until `seconds` have passed. A step started before the
 * deadline is allowed to finish, so the elapsed time (returned, in ms) runs to the last finish and
 * rates computed from it count every completed step.
 */
export async function timedLoop(workers: number, seconds: number, step: (worker: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < deadline) await step(worker);
    }),
  );
  return performance.now() - start;
}

/** Counts of outcomes by name (HTTP status, "conflict", ...), printable as "200: 812, 409: 3". */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(key: string | number, n = 1): void {
    const k = String(key);
    this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }

  get(key: string | number): number {
    return this.counts.get(String(key)) ?? 0;
  }

  /** Everything not among `expected`. */
  othersThan(...expected: Array<string | number>): number {
    const known = new Set(expected.map(String));
    let n = 0;
    for (const [k, v] of this.counts) if (!known.has(k)) n += v;
    return n;
  }

  clear(): void {
    this.counts.clear();
  }

  toString(): string {
    return [...this.counts].map(([k, v]) => `${k}: ${v}`).join(', ') || 'none';
  }
}

/**
 * Seconds each side of a write figure runs, uncounted, before its turns: a fresh server spends
 * about a fifth of its CPU in V8's optimising compiler during its first seconds on a new path
 * (measured with perf on the reserve figure), and an on-sale hits a server that is long warm.
 */
export const WARM_UP_SECONDS = 2;

/** Runs each phase once for `seconds`, for its side effects only (the caller then clears its counts). */
export async function warmUp(phases: Array<(seconds: number) => Promise<number>>, seconds = WARM_UP_SECONDS): Promise<void> {
  for (const phase of phases) await phase(seconds);
}

/** Turns per alternating figure: enough to spread the machine's swings over both sides. */
export const ROUNDS = 4;

/**
 * Runs each phase for `seconds` in all, in `rounds` turns of seconds/rounds each (A, B, A, B, ...),
 * so a swing in how much CPU the machine gives (these VMs lose up to half of it to other guests
 * at times) falls on both sides of a ratio alike. Returns each phase's total elapsed ms.
 */
export async function alternating(seconds: number, phases: Array<(seconds: number) => Promise<number>>, rounds = ROUNDS): Promise<number[]> {
  const elapsed = phases.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [i, phase] of phases.entries()) elapsed[i]! += await phase(seconds / rounds);
  }
  return elapsed;
}
