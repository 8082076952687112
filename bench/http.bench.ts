/**
 * The seat map over real HTTP: `npx tsx bench/http.bench.ts`. A 20,000-seat event with a few
 * holds and sales; the map is fetched as browsers do (with Accept-Encoding) and without, and both
 * are compared with GET /healthz on the same server in the same run.
 */
import zlib from 'node:zlib';
import { createEventWithSeats, createUser } from '../test/inventory-fixtures.js';
import { startTestApp } from '../test/app.js';
import { generateSeats } from '../server/services/inventory/generate-seats.js';
import { reserveSeats } from '../server/services/tickets/reserve-seats.js';
import { rowName } from '../server/services/demo/seed-demo.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median ms and the bytes on the wire for a GET, over `runs` runs after 3 warm-ups. */
async function measure(url: string, encoding: string | null, runs = 15) {
  const http = await import('node:http');
  const once = () =>
    new Promise<{ ms: number; bytes: number }>((resolve, reject) => {
      const start = performance.now();
      http
        .get(url, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve({ ms: performance.now() - start, bytes }));
        })
        .on('error', reject);
    });
  for (let i = 0; i < 3; i++) await once();
  const results: { ms: number; bytes: number }[] = [];
  for (let i = 0; i < runs; i++) results.push(await once());
  return { ms: median(results.map((r) => r.ms)), bytes: results[0]!.bytes };
}

const t = await startTestApp({ config: { logLevel: 'silent' } });
try {
  const { eventId, tiers } = await createEventWithSeats(t.db, {
    tiers: [{ name: 'Floor', priceCents: 12_000, currency: 'USD' }, { name: 'Upper', priceCents: 3_500, currency: 'USD' }],
    rows: [],
  });
  await generateSeats(t.db, { eventId, rows: Array.from({ length: 100 }, (_, i) => ({ name: rowName(i), seats: 200, tierId: tiers[i < 30 ? 0 : 1]!.id })) });
  const buyer = await createUser(t.db);
  for (let i = 0; i < 5; i++) {
    await reserveSeats(t.db, { userId: buyer.id, eventId, seats: [{ row: rowName(i * 7), number: 10 + i }], holdMinutes: 10, staff: false });
  }
  const map = `${t.url}/trpc/inventory.seatMap?input=${encodeURIComponent(JSON.stringify({ eventId }))}`;
  const base = await measure(`${t.url}/healthz`, null);
  console.log(`== seat map of 20,000 seats over HTTP (${t.db.label}); baseline GET /healthz ${base.ms.toFixed(2)} ms`);
  for (const encoding of [null, 'gzip', 'br']) {
    const r = await measure(map, encoding);
    console.log(
      `  ${(encoding ?? 'identity').padEnd(9)} ${String(r.bytes).padStart(9)} bytes  ${r.ms.toFixed(2).padStart(7)} ms  ${(r.ms / base.ms).toFixed(1).padStart(6)}x healthz`,
    );
  }
  // Sanity: the compressed answer is the same document.
  const res = await fetch(map);
  const body = await res.text();
  const raw = zlib.gzipSync(body).length;
  console.log(`  (gzip of the same JSON in process: ${raw} bytes; JSON ${body.length} bytes)`);
} finally {
  await t.close();
}
