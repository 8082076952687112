import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU time and memory of other processes from /proc (Linux; null elsewhere): the server child's,
 * and PostgreSQL's when it runs on this machine. process.cpuUsage() only knows the caller.
 */

let ticks: number | null = null;
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on every Linux we run on). */
function clockTicks(): number {
  if (ticks === null) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** utime + stime of one process (all its threads), in seconds. */
function statCpuSeconds(stat: string): number {
  // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 (utime) and 15 (stime) of proc(5); the list after ')' starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) / clockTicks();
}

/** CPU seconds the process has used so far (user + system, every thread), or null without /proc. */
export function processCpuSeconds(pid: number): number | null {
  try {
    return statCpuSeconds(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Resident set size in bytes, or null without /proc. */
export function processRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by each process named `postgres` on this machine (the postmaster, its
 * helpers and every backend, whoever's), by process id: null when there is none or no /proc.
 */
export function postgresCpuByPid(): Map<number, number> | null {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  const cpu = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (stat.includes('(postgres)')) cpu.set(Number(entry), statCpuSeconds(stat));
  }
  return cpu.size > 0 ? cpu : null;
}

/**
 * PostgreSQL's CPU seconds between two readings: what the processes alive at the second used since
 * the first (all of it for backends started meanwhile). A backend that exited in between takes its
 * time with it, so this is a lower bound.
 */
export function postgresCpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** CPU seconds per wall second since a meter started: the server child's, PostgreSQL's (all of it on this machine) and the bench's own. */
export interface CpuUse {
  seconds: number;
  server: number | null;
  postgres: number | null;
  bench: number;
}

/** Starts a meter; each call of the function it returns says what was used since the start. */
export function cpuMeter(serverPid: number): () => CpuUse {
  const wall = performance.now();
  const server = processCpuSeconds(serverPid);
  const postgres = postgresCpuByPid();
  const bench = process.cpuUsage();
  return () => {
    const seconds = (performance.now() - wall) / 1000;
    const s = processCpuSeconds(serverPid);
    const p = postgresCpuByPid();
    const b = process.cpuUsage(bench);
    return {
      seconds,
      server: server === null || s === null ? null : (s - server) / seconds,
      postgres: postgres === null || p === null ? null : postgresCpuBetween(postgres, p) / seconds,
      bench: (b.user + b.system) / 1e6 / seconds,
    };
  };
}

/**
 * CPU seconds of the server, PostgreSQL and the bench itself, summed over the turns of one side of
 * an alternating figure. Divided by the work done, it says where each unit of work's CPU went: on a
 * machine the load is spread over, the ratio of two sides can be no better than the ratio of what
 * their units cost.
 */
export class CpuSum {
  server: number | null = 0;
  postgres: number | null = 0;
  bench = 0;

  constructor(private readonly serverPid: number) {}

  /** `phase`, metered: every turn it runs adds its CPU here. */
  metered(phase: (seconds: number) => Promise<number>): (seconds: number) => Promise<number> {
    return async (seconds) => {
      const meter = cpuMeter(this.serverPid);
      const elapsed = await phase(seconds);
      const use = meter();
      this.server = this.server === null || use.server === null ? null : this.server + use.server * use.seconds;
      this.postgres = this.postgres === null || use.postgres === null ? null : this.postgres + use.postgres * use.seconds;
      this.bench += use.bench * use.seconds;
      return elapsed;
    };
  }

  /**
   * Per unit of work, in ms: "server 1.90 + PostgreSQL 2.10 + bench 0.80 = 4.80 ms"; parts not
   * measurable are left out, and PostgreSQL's unless the run is on it (on PGlite the database
   * works inside the server and the bench process).
   */
  per(units: number, names: { server?: string; bench: string; postgres: boolean }): { text: string; totalMs: number } {
    const parts: Array<[string, number]> = [];
    if (names.server && this.server !== null) parts.push([names.server, this.server]);
    if (names.postgres && this.postgres !== null) parts.push(['PostgreSQL', this.postgres]);
    parts.push([names.bench, this.bench]);
    const ms = (s: number) => (units > 0 ? (1000 * s) / units : 0);
    const totalMs = parts.reduce((sum, [, s]) => sum + ms(s), 0);
    return { text: `${parts.map(([name, s]) => `${name} ${ms(s).toFixed(2)}`).join(' + ')} = ${totalMs.toFixed(2)} ms`, totalMs };
  }
}
