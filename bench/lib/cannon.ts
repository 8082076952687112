import autocannon from 'autocannon';

export interface CannonResult {
  /** 2xx answers per second over the whole run. */
  rps: number;
  p50: number;
  p99: number;
  /** Non-2xx answers and connection errors: a rate that includes failures is not the rate asked for. */
  failures: number;
}

/**
 * autocannon against one URL: a short untimed warm-up first (the server's JIT and connection
 * setup), then the measured run.
 */
export async function cannon(url: string, options: { seconds: number; connections?: number; headers?: Record<string, string> }): Promise<CannonResult> {
  const base = { url, connections: options.connections ?? 20, headers: options.headers ?? {} };
  await autocannon({ ...base, duration: 1 });
  const result = await autocannon({ ...base, duration: options.seconds });
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors,
  };
}
