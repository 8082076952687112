/** The run's clock and its log of what happened when, printed as it happens and again in the report. */

const started = performance.now();

/** Seconds since the run started. */
export const elapsed = () => (performance.now() - started) / 1000;

export const stamp = (seconds = elapsed()) => `+${seconds.toFixed(1).padStart(5)} s`;

export interface Entry {
  at: number;
  what: string;
  /** Faults and recoveries go to the report's timeline; plain progress lines do not. */
  fault: boolean;
}

export const entries: Entry[] = [];

export function note(what: string, options: { fault?: boolean } = {}): void {
  const entry = { at: elapsed(), what, fault: options.fault ?? false };
  entries.push(entry);
  console.log(`${stamp(entry.at)}  ${what}`);
}

export const fault = (what: string) => note(what, { fault: true });

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
