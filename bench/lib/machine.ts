import fs from 'node:fs';
import { sleep } from './stats.js';

/**
 * How busy the CPUs are over `ms`, in percent, from /proc/stat (Linux; null elsewhere). Printed
 * before and after a run: other work on the same cores skews every figure, and on these VMs the
 * load average stays high even when idle, so it cannot tell.
 */
export async function cpuBusyPercent(ms = 1000): Promise<number | null> {
  const read = () => {
    try {
      const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      // user nice system idle iowait irq softirq steal ...: idle and iowait are the idle time.
      const idle = fields[3]! + (fields[4] ?? 0);
      return { idle, total: fields.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const before = read();
  if (!before) return null;
  await sleep(ms);
  const after = read()!;
  const total = after.total - before.total;
  return total > 0 ? 100 * (1 - (after.idle - before.idle) / total) : null;
}
