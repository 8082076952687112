import fs from 'node:fs';
import type { ChaosResult } from './chaos.js';
import type { Check, DatabaseCounts } from './checks.js';
import type { Ledger } from './load.js';
import { entries, stamp } from './timeline.js';

const int = (n: number) => n.toLocaleString('en-US');

const tally = (map: Map<string, number>) =>
  [...map]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k}: ${int(n)}`)
    .join(', ') || 'none';

export interface Report {
  setup: string;
  loadSeconds: number;
  ledger: Ledger;
  chaos: ChaosResult;
  counts: DatabaseCounts | null;
  committedUnanswered: string[];
  rescuedByRetry: number;
  checks: Check[];
  /** Instance name -> its log file. */
  logs: Record<string, string>;
}

/** The report, and whether the run passed: every check, at least one sale, at least `minKills` kills, every fault made. */
export function printReport(r: Report, minKills: number): boolean {
  const { ledger, chaos } = r;
  const requirements: Check[] = [
    { name: 'at least one purchase answered 200', pass: ledger.sales.size > 0, detail: `${int(ledger.sales.size)} orders answered` },
    {
      name: `faults made: >= ${minKills} kills, 1 PostgreSQL restart, 1 Redis kill`,
      pass: chaos.kills >= minKills && chaos.postgresRestarts === 1 && chaos.redisKills === 1 && chaos.errors.length === 0,
      detail: `${chaos.kills} kills, ${chaos.postgresRestarts} PostgreSQL restart, ${chaos.redisKills} Redis kill`,
      examples: chaos.errors,
    },
  ];
  const all = [...r.checks, ...requirements];
  const soldOnRetry = [...ledger.sales.values()].filter((s) => s.retrySentAt !== null).length;
  const pass = all.every((c) => c.pass);

  const lines = [
    '',
    '== Fault-injection report',
    r.setup,
    '',
    'Fault timeline (seconds since the run started)',
    ...entries.filter((e) => e.fault).map((e) => `  ${stamp(e.at)}  ${e.what}`),
    '',
    `Purchases (${r.loadSeconds} s of load)`,
    `  keys (purchases started)  ${int(ledger.keys)}`,
    `  answers by status         ${tally(ledger.statuses)}`,
    `  final refusals            ${tally(ledger.refusals)}`,
    `  retries (same key)        ${int(ledger.retries)}`,
    `  gave up (no answer)       ${int(ledger.gaveUp.length)} keys`,
    ...ledger.gaveUp.slice(0, 5).map((g) => `    key ${g.key}: ${g.attempts.join(', ')}`),
    `  sold (answered 200)       ${int(ledger.sales.size)} orders`,
    `  sold on a retry           ${int(soldOnRetry)}, of which ${int(r.rescuedByRetry)} committed by an earlier attempt whose answer was lost`,
    `  replays of sold keys      ${int(ledger.replays)} (${int(ledger.replaysUnanswered)} got no answer)`,
    '',
    'Database',
    r.counts
      ? `  ${int(r.counts.paidOrders)} PAID orders (${r.counts.otherOrders} other), ${int(r.counts.soldSeats)} SOLD seats, ` +
        `${int(r.counts.liveTickets)} live tickets, ${r.counts.reservedSeats} RESERVED seats`
      : '  not checked',
    `  committed but unanswered: ${r.committedUnanswered.length}${r.committedUnanswered.length ? ` (${r.committedUnanswered.slice(0, 5).join(', ')})` : ''}`,
    '',
    'Checks',
    ...all.flatMap((c) => [`  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`, ...(c.examples ?? []).slice(0, 5).map((e) => `          ${e}`)]),
    '',
    `Instance logs: ${Object.entries(r.logs)
      .map(([name, file]) => `${name} ${logSummary(file)}`)
      .join('; ')}`,
    '',
    `RESULT: ${pass ? 'PASS' : 'FAIL'}`,
  ];
  console.log(lines.join('\n'));
  if (!pass) printLogTails(r.logs);
  return pass;
}

/** Lines logged, and how many at error level or above (pino: level 50, 60). */
function logSummary(file: string): string {
  const lines = readLines(file);
  const errors = lines.filter((l) => /"level":(50|60)/.test(l)).length;
  return `${lines.length} lines, ${errors} at error level`;
}

function printLogTails(logs: Record<string, string>): void {
  for (const [name, file] of Object.entries(logs)) {
    console.log(`\n-- last lines of instance ${name}'s log`);
    console.log(
      readLines(file)
        .slice(-15)
        .map((l) => l.slice(0, 400))
        .join('\n'),
    );
  }
}

function readLines(file: string): string[] {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('--- '));
  } catch {
    return [];
  }
}
