import zlib from 'node:zlib';
import type { BenchContext } from '../lib/context.js';
import type { HttpResponse } from '../lib/http.js';
import { trpcPath } from '../lib/http.js';
import { fmtBytes, fmtMs, fmtRatio, median } from '../lib/stats.js';
import { row, type Row } from '../lib/table.js';

const WARMUP = 3;
const RUNS = 20;
const GZIP_TARGET_BYTES = 100 * 1024;

async function sample<T>(once: () => Promise<T>): Promise<T[]> {
  for (let i = 0; i < WARMUP; i++) await once();
  const results: T[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await once());
  return results;
}

/**
 * The 20,000-seat map as a visitor's browser polls it (anonymous GET), with and without gzip,
 * against the least any server could do: select the three columns of the same seats and
 * JSON.stringify them, in this process. Measured on the fixture as it was made (all seats free).
 */
export async function seatMapFigure(ctx: BenchContext): Promise<Row[]> {
  console.log(`\n== seat map of 20,000 seats: median of ${RUNS} GETs after ${WARMUP} warm-ups`);
  const path = trpcPath('inventory.seatMap', { eventId: ctx.fixture.eventId });
  const get = (headers: Record<string, string>) => async () => {
    const res = await ctx.api.request('GET', path, { headers });
    if (res.status !== 200) throw new Error(`inventory.seatMap answered ${res.status}`);
    return res;
  };
  const plain = await sample(get({}));
  const gzip = await sample(get({ 'accept-encoding': 'gzip' }));
  const first = plain[0]!;
  const zipped = gzip[0]!;
  if (zipped.headers['content-encoding'] === 'gzip' && !zlib.gunzipSync(zipped.body).equals(first.body)) {
    throw new Error('the gzip seat map does not decompress to the plain one');
  }
  const plainMs = median(plain.map((r) => r.ms));
  const gzipMs = median(gzip.map((r) => r.ms));
  const gzipBytes = zipped.body.length;
  console.log(`  no Accept-Encoding  ${fmtMs(plainMs).padStart(9)}  ${fmtBytes(first.body.length)}`);
  console.log(
    `  gzip                ${fmtMs(gzipMs).padStart(9)}  ${fmtBytes(gzipBytes)} (content-encoding: ${zipped.headers['content-encoding'] ?? 'none'})`,
  );

  const etag = first.headers.etag;
  let revalidation = 'no ETag';
  if (typeof etag === 'string') {
    const conditional: HttpResponse[] = await sample(async () => ctx.api.request('GET', path, { headers: { 'if-none-match': etag } }));
    revalidation = `${conditional[0]!.status}, ${fmtMs(median(conditional.map((r) => r.ms)))}`;
  }
  console.log(`  If-None-Match       ${revalidation}`);

  const pool = await ctx.baseline();
  const [session] = await pool.sessions(1);
  const baseline = await sample(async () => {
    const start = performance.now();
    const rows = await session!.query(`SELECT "rowName", "seatNumber", status FROM "Ticket" WHERE "eventId" = $1`, [ctx.fixture.eventId]);
    const json = JSON.stringify(rows);
    return { ms: performance.now() - start, seats: rows.length, bytes: json.length };
  });
  const baseMs = median(baseline.map((b) => b.ms));
  console.log(`  baseline SELECT of ${baseline[0]!.seats} seats + JSON.stringify (${fmtBytes(baseline[0]!.bytes)}): ${fmtMs(baseMs)}`);

  const plainRatio = plainMs / baseMs;
  return [
    row(
      'seat map: GET inventory.seatMap, no Accept-Encoding (median)',
      fmtMs(plainMs),
      `${fmtMs(baseMs)} (SELECT + JSON.stringify)`,
      fmtRatio(plainRatio),
      '<= 1.5x',
      plainRatio <= 1.5,
    ),
    row('seat map: the same with gzip (median)', fmtMs(gzipMs), fmtMs(baseMs), fmtRatio(gzipMs / baseMs), '<= 1.5x', gzipMs / baseMs <= 1.5),
    row(
      'seat map: bytes plain / gzip',
      `${fmtBytes(first.body.length)} / ${fmtBytes(gzipBytes)}`,
      '',
      '',
      '<= 100 KB gzip',
      gzipBytes <= GZIP_TARGET_BYTES,
    ),
    row('seat map: conditional GET (If-None-Match)', revalidation, '', '', '', null),
  ];
}
