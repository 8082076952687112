import { cannonAlternating, type CannonResult } from '../lib/cannon.js';
import type { BenchContext } from '../lib/context.js';
import { bearer } from '../lib/http.js';
import { freePort, spawnService } from '../lib/server.js';
import { fmtMs, fmtRate, fmtRatio } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

const CONNECTIONS = 20;

const describe = (r: CannonResult) =>
  `${fmtRate(r.rps, 'req/s')}  p50 ${fmtMs(r.p50)}  p99 ${fmtMs(r.p99)}${r.failures ? `  FAILURES ${r.failures}` : ''}`;
const cell = (r: CannonResult) => `${fmtRate(r.rps, 'req/s')}${r.failures ? ` (${r.failures} failed)` : ''}`;

/** tRPC's health query (the whole plugin stack; the database is asked at most once a second) against Fastify's bare /healthz. */
export async function healthFigure(ctx: BenchContext): Promise<Row[]> {
  console.log(`\n== health: autocannon, ${CONNECTIONS} connections, ${ctx.options.cannonSeconds} s each, in alternating turns`);
  const [trpc, bare] = (await cannonAlternating([{ url: `${ctx.serverUrl}/trpc/health` }, { url: `${ctx.serverUrl}/healthz` }], {
    seconds: ctx.options.cannonSeconds,
    connections: CONNECTIONS,
  })) as [CannonResult, CannonResult];
  console.log(`  GET /trpc/health  ${describe(trpc)}`);
  console.log(`  GET /healthz      ${describe(bare)}`);
  const ratio = trpc.rps / bare.rps;

  // The same pair on a bare Fastify with only tRPC's adapter and a no-op query: the floor.
  const floor = await spawnService('bench/lib/adapter-floor-server.ts', {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(await freePort()),
  });
  let floorNoop: CannonResult;
  let floorBare: CannonResult;
  try {
    [floorNoop, floorBare] = (await cannonAlternating([{ url: `${floor.url}/trpc/noop` }, { url: `${floor.url}/healthz` }], {
      seconds: ctx.options.cannonSeconds,
      connections: CONNECTIONS,
    })) as [CannonResult, CannonResult];
  } finally {
    await floor.stop();
  }
  console.log(`  bare tRPC no-op   ${describe(floorNoop)}`);
  console.log(`  its /healthz      ${describe(floorBare)}`);
  const floorRatio = floorNoop.rps / floorBare.rps;
  return [
    row(
      `health: GET /trpc/health, ${CONNECTIONS} connections`,
      cell(trpc),
      `${cell(bare)} (GET /healthz)`,
      fmtRatio(ratio),
      '>= 0.2x',
      ratio >= 0.2 && !trpc.failures,
    ),
    row(
      "the floor: a no-op query on a bare Fastify with only tRPC's adapter",
      cell(floorNoop),
      `${cell(floorBare)} (its own GET /healthz)`,
      fmtRatio(floorRatio),
      `health is ${fmtRatio(ratio / floorRatio)} of it`,
      null,
    ),
  ];
}

/** What authenticating a request costs: auth.me and auth.ping with a Bearer token against anonymous health. */
export async function authFigure(ctx: BenchContext): Promise<Row[]> {
  console.log(`\n== authenticated queries: autocannon, ${CONNECTIONS} connections, ${ctx.options.cannonSeconds} s each, in alternating turns`);
  const headers = bearer(ctx.tokens[0]!);
  const probe = await ctx.api.request('GET', '/trpc/auth.ping', { headers });
  const pingBuilt = probe.status !== 404;
  const targets = [{ url: `${ctx.serverUrl}/trpc/health` }, { url: `${ctx.serverUrl}/trpc/auth.me`, headers }];
  if (pingBuilt) targets.push({ url: `${ctx.serverUrl}/trpc/auth.ping`, headers });
  const [anonymous, me, ping] = await cannonAlternating(targets, { seconds: ctx.options.cannonSeconds, connections: CONNECTIONS });
  console.log(`  GET /trpc/health (anonymous)  ${describe(anonymous!)}`);
  console.log(`  GET /trpc/auth.me (Bearer)    ${describe(me!)}`);
  const rows = [
    row(
      `auth.me with Bearer, ${CONNECTIONS} connections`,
      cell(me!),
      `${cell(anonymous!)} (anonymous health)`,
      fmtRatio(me!.rps / anonymous!.rps),
      '',
      null,
    ),
  ];
  if (!ping) {
    console.log('  GET /trpc/auth.ping           404: not built');
    rows.push(row('auth.ping with Bearer', 'not built (404)', `${cell(anonymous!)} (anonymous health as the no-op)`, '', '>= 0.9x no-op', null));
  } else {
    console.log(`  GET /trpc/auth.ping (Bearer)  ${describe(ping)}`);
    const ratio = ping.rps / anonymous!.rps;
    rows.push(
      row(
        `auth.ping with Bearer, ${CONNECTIONS} connections`,
        cell(ping),
        `${cell(anonymous!)} (anonymous health as the no-op)`,
        fmtRatio(ratio),
        '>= 0.9x no-op',
        ratio >= 0.9 && !ping.failures,
      ),
    );
  }
  return rows;
}
