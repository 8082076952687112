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
export async function cannon(
  url: string,
  options: { seconds: number; connections?: number; headers?: Record<string, string> },
): Promise<CannonResult> {
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

/**
 * Several URLs measured in alternating turns (see `alternating` in loop.ts), after one warm-up
 * each: rates are 2xx over the summed durations, latencies the median p50 and the worst p99 of
 * the turns.
 */
export async function cannonAlternating(
  targets: Array<{ url: string; headers?: Record<string, string> }>,
  options: { seconds: number; connections?: number; rounds?: number },
): Promise<CannonResult[]> {
  const rounds = options.rounds ?? 4;
  const connections = options.connections ?? 20;
  for (const t of targets) await autocannon({ url: t.url, connections, headers: t.headers ?? {}, duration: 1 });
  const turns = targets.map(() => [] as autocannon.Result[]);
  for (let r = 0; r < rounds; r++) {
    for (const [i, t] of targets.entries()) {
      turns[i]!.push(
        await autocannon({ url: t.url, connections, headers: t.headers ?? {}, duration: Math.max(1, Math.round(options.seconds / rounds)) }),
      );
    }
  }
  return turns.map((results) => {
    const ok = results.reduce((n, r) => n + r['2xx'], 0);
    const seconds = results.reduce((n, r) => n + r.duration, 0);
    const p50s = results.map((r) => r.latency.p50).sort((a, b) => a - b);
    return {
      rps: ok / seconds,
      p50: p50s[Math.floor(p50s.length / 2)]!,
      p99: Math.max(...results.map((r) => r.latency.p99)),
      failures: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
    };
  });
}
