import { cannon, type CannonResult } from '../lib/cannon.js';
import type { BenchContext } from '../lib/context.js';
import { bearer } from '../lib/http.js';
import { fmtMs, fmtRate, fmtRatio } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

const CONNECTIONS = 20;

const describe = (r: CannonResult) =>
  `${fmtRate(r.rps, 'req/s')}  p50 ${fmtMs(r.p50)}  p99 ${fmtMs(r.p99)}${r.failures ? `  FAILURES ${r.failures}` : ''}`;
const cell = (r: CannonResult) => `${fmtRate(r.rps, 'req/s')}${r.failures ? ` (${r.failures} failed)` : ''}`;

/** Anonymous GET /trpc/health, measured once and shared: it is also the baseline of auth.me and auth.ping. */
let anonymousHealth: CannonResult | null = null;
async function health(ctx: BenchContext): Promise<CannonResult> {
  anonymousHealth ??= await cannon(`${ctx.serverUrl}/trpc/health`, { seconds: ctx.options.cannonSeconds, connections: CONNECTIONS });
  return anonymousHealth;
}

/** tRPC's health query (one SELECT 1 behind the whole plugin stack) against Fastify's bare /healthz. */
export async function healthFigure(ctx: BenchContext): Promise<Row[]> {
  console.log(`\n== health: autocannon, ${CONNECTIONS} connections, ${ctx.options.cannonSeconds} s each`);
  const trpc = await health(ctx);
  console.log(`  GET /trpc/health  ${describe(trpc)}`);
  const bare = await cannon(`${ctx.serverUrl}/healthz`, { seconds: ctx.options.cannonSeconds, connections: CONNECTIONS });
  console.log(`  GET /healthz      ${describe(bare)}`);
  const ratio = trpc.rps / bare.rps;
  return [row(`health: GET /trpc/health, ${CONNECTIONS} connections`, cell(trpc), `${cell(bare)} (GET /healthz)`, fmtRatio(ratio), '>= 0.2x', ratio >= 0.2 && !trpc.failures)];
}

/** What authenticating a request costs: auth.me and auth.ping with a Bearer token against anonymous health. */
export async function authFigure(ctx: BenchContext): Promise<Row[]> {
  console.log(`\n== authenticated queries: autocannon, ${CONNECTIONS} connections, ${ctx.options.cannonSeconds} s each`);
  const headers = bearer(ctx.tokens[0]!);
  const anonymous = await health(ctx);
  console.log(`  GET /trpc/health (anonymous)  ${describe(anonymous)}`);
  const me = await cannon(`${ctx.serverUrl}/trpc/auth.me`, { seconds: ctx.options.cannonSeconds, connections: CONNECTIONS, headers });
  console.log(`  GET /trpc/auth.me (Bearer)    ${describe(me)}`);
  const rows = [row(`auth.me with Bearer, ${CONNECTIONS} connections`, cell(me), `${cell(anonymous)} (anonymous health)`, fmtRatio(me.rps / anonymous.rps), '', null)];

  const probe = await ctx.api.request('GET', '/trpc/auth.ping', { headers });
  if (probe.status === 404) {
    console.log('  GET /trpc/auth.ping           404: not built');
    rows.push(row('auth.ping with Bearer', 'not built (404)', `${cell(anonymous)} (anonymous health as the no-op)`, '', '>= 0.9x no-op', null));
  } else {
    const ping = await cannon(`${ctx.serverUrl}/trpc/auth.ping`, { seconds: ctx.options.cannonSeconds, connections: CONNECTIONS, headers });
    console.log(`  GET /trpc/auth.ping (Bearer)  ${describe(ping)}`);
    const ratio = ping.rps / anonymous.rps;
    rows.push(
      row(`auth.ping with Bearer, ${CONNECTIONS} connections`, cell(ping), `${cell(anonymous)} (anonymous health as the no-op)`, fmtRatio(ratio), '>= 0.9x no-op', ratio >= 0.9 && !ping.failures),
    );
  }
  return rows;
}
