/**
 * Memory of the streamed CSV exports: `npx tsx --expose-gc bench/export.bench.ts` (PGlite in memory;
 * on the PostgreSQL server when TEST_DATABASE_URL is set, in a fresh database dropped afterwards).
 *
 * An event with 100,000 sold tickets (25,000 orders of 4) is exported over real HTTP as its
 * attendee list and as its orders, the client reading the stream as it comes; the process's RSS is
 * sampled every 10 ms. The baseline, measured in the same run and process: the same rows read at
 * once and turned into one CSV string (what an export that holds everything would do). Printed:
 * peak RSS growth over the idle process for each, and the ratio.
 */
import { stringify } from 'csv-stringify/sync';
import { createTestDatabase } from '../test/db.js';
import { startTestApp } from '../test/app.js';
import { createEventWithSeats } from '../test/inventory-fixtures.js';
import { createUser, signIn } from '../test/users.js';
import { rowName } from '../shared/seats.js';
import { attendeeSelect } from '../server/http/staff-exports.js';

const ORDERS = 25_000;
const PER_ORDER = 4;
const MB = 1024 * 1024;

function gc() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Peak RSS above `idle` while `fn` runs, sampled every 10 ms. */
async function peakGrowth(idle: number, fn: () => Promise<unknown>): Promise<{ peakMb: number; ms: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const start = performance.now();
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage.rss());
  return { peakMb: (peak - idle) / MB, ms: performance.now() - start };
}

async function main() {
  const db = await createTestDatabase();
  const t = await startTestApp({ db });
  try {
    console.log(`\n== ${db.label}: ${(ORDERS * PER_ORDER).toLocaleString('en-US')} tickets in ${ORDERS.toLocaleString('en-US')} orders`);
    const staff = await createUser(t, { role: 'STAFF', staffStatus: 'APPROVED' });
    const buyer = await createUser(t, { name: 'Bench Attendee' });
    const { eventId } = await createEventWithSeats(db, {
      name: 'Export Arena',
      rows: Array.from({ length: 200 }, (_, i) => [rowName(i), 500] as [string, number]),
    });
    // The sale, written directly: 25,000 paid orders a second apart, each with 4 seats and
    // their issued tickets (issued when the order was placed).
    await db.prisma.$executeRaw`
      INSERT INTO "Order" (id, "userId", "eventId", status, "subtotalCents", "discountCents", "totalCents", currency, "idempotencyKey", "createdAt")
      SELECT gen_random_uuid(), ${buyer.id}::uuid, ${eventId}::uuid, 'PAID', 20000, 0, 20000, 'USD', 'bench-' || lpad(g::text, 6, '0'),
             (now() AT TIME ZONE 'UTC') - g * interval '1 second'
      FROM generate_series(1, ${ORDERS}::int) AS g`;
    await db.prisma.$executeRaw`
      WITH o AS (SELECT id, row_number() OVER (ORDER BY "idempotencyKey") AS k FROM "Order" WHERE "eventId" = ${eventId}::uuid),
           s AS (SELECT "rowName", "seatNumber", row_number() OVER (ORDER BY "rowName", "seatNumber") AS n FROM "Ticket" WHERE "eventId" = ${eventId}::uuid)
      UPDATE "Ticket" t SET status = 'SOLD', "orderId" = o.id
      FROM s JOIN o ON o.k = (s.n - 1) / ${PER_ORDER}::int + 1
      WHERE t."eventId" = ${eventId}::uuid AND t."rowName" = s."rowName" AND t."seatNumber" = s."seatNumber"`;
    await db.prisma.$executeRaw`
      INSERT INTO "IssuedTicket" (id, barcode, "orderId", "eventId", "rowName", "seatNumber", "tierName", "priceCents", currency, "createdAt")
      SELECT gen_random_uuid(), upper(md5(t."rowName" || t."seatNumber" || random()::text)), t."orderId", t."eventId", t."rowName", t."seatNumber",
             'Standard', 5000, 'USD', o."createdAt"
      FROM "Ticket" t JOIN "Order" o ON o.id = t."orderId" WHERE t."eventId" = ${eventId}::uuid`;
    const token = (await signIn(t, staff.email, staff.password)).accessToken;

    const streamed = async (path: string) => {
      const res = await fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok || !res.body) throw new Error(`${path} answered ${res.status}`);
      let bytes = 0;
      let lines = 0;
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
      }
      return { bytes, lines };
    };
    const materialized = async () => {
      const rows = await db.prisma.issuedTicket.findMany({
        where: { eventId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: attendeeSelect,
      });
      const csv = stringify(
        rows.map((r) => [
          r.order.user?.name,
          r.order.user?.email,
          r.order.number,
          r.rowName,
          r.seatNumber,
          r.tierName,
          r.priceCents / 100,
          r.currency,
          r.status,
          r.checkedInAt,
        ]),
      );
      return { bytes: Buffer.byteLength(csv), lines: rows.length };
    };

    // Warm up the routes and the database's caches, then measure from a collected heap.
    await streamed(`/api/staff/attendees.csv?eventId=${eventId}`);
    const results: Array<[string, { peakMb: number; ms: number }, { bytes: number; lines: number }]> = [];
    for (const [label, run] of [
      ['attendees.csv, streamed over HTTP', () => streamed(`/api/staff/attendees.csv?eventId=${eventId}`)],
      ['orders.csv, streamed over HTTP', () => streamed(`/api/staff/orders.csv?eventId=${eventId}`)],
      ['baseline: all rows read at once, one CSV string', materialized],
    ] as const) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 200));
      gc();
      const idle = process.memoryUsage.rss();
      let out = { bytes: 0, lines: 0 };
      const measured = await peakGrowth(idle, async () => {
        out = await run();
      });
      results.push([label, measured, out]);
      console.log(
        `  ${label.padEnd(50)} peak RSS +${measured.peakMb.toFixed(1).padStart(6)} MB  ${(measured.ms / 1000).toFixed(1).padStart(5)} s  ${(out.bytes / MB).toFixed(1)} MB, ${out.lines.toLocaleString('en-US')} lines`,
      );
    }
    const baseline = results[2]![1].peakMb;
    for (const [label, measured] of results.slice(0, 2)) {
      console.log(`  ${label.padEnd(50)} ${(measured.peakMb / baseline).toFixed(2)}x the baseline's memory growth`);
    }
  } finally {
    await t.close();
    await db.close();
  }
}

await main();
