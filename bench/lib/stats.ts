/** Small statistics and formatting helpers shared by the figures. */

/** The q-th quantile (0..1) by nearest rank; NaN for no samples. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]) => quantile(samples, 0.5);

export const fmtMs = (ms: number) => (Number.isNaN(ms) ? 'n/a' : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);

export function fmtRate(perSecond: number, unit: string): string {
  if (Number.isNaN(perSecond)) return 'n/a';
  const digits = perSecond >= 100 ? 0 : 1;
  return `${perSecond.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
}

export const fmtInt = (n: number) => n.toLocaleString('en-US');

export const fmtBytes = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : n >= 10_240 ? `${(n / 1024).toFixed(1)} KB` : `${fmtInt(n)} B`;

export const fmtRatio = (ratio: number) => (Number.isFinite(ratio) ? `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}x` : 'n/a');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A random integer in [0, n). */
export const randomInt = (n: number) => Math.floor(Math.random() * n);
