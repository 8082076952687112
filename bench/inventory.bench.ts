/**
 * Inventory benchmarks: `npx tsx bench/inventory.bench.ts` (PGlite in memory), and again on the
 * PostgreSQL server when TEST_DATABASE_URL is set (a fresh database, dropped afterwards).
 * Every figure is printed next to a baseline measured in the same run on the same database, so the
 * ratios mean something on any machine; absolute times are for orientation only.
 */
import crypto from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../test/db.js';
import { createEventWithSeats } from '../test/inventory-fixtures.js';
import { createUser } from '../test/users.js';
import { databaseDeps } from '../server/db/database.js';
import { testConfig } from '../test/config.js';
import { listEvents } from '../server/services/events/list-events.js';
import { generateSeats } from '../server/services/inventory/generate-seats.js';
import { createSeatMaps } from '../server/services/inventory/seat-map.js';
import { transact } from '../server/db/transact.js';
import { purchaseSeats } from '../server/services/tickets/purchase-seats.js';
import { releaseSeats } from '../server/services/tickets/release-seats.js';
import { reserveSeats } from '../server/services/tickets/reserve-seats.js';
import { rowName } from '../shared/seats.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median milliseconds per call of `fn` over `runs` runs, after `warmup` untimed ones. */
async function perCall(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Wall-clock milliseconds for `count` calls started at once. */
async function burst(count: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
  return performance.now() - start;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const line = (label: string, value: number, baseline: number, baselineLabel: string) =>
  console.log(`  ${label.padEnd(46)} ${ms(value).padStart(11)}   ${(value / baseline).toFixed(1).padStart(6)}x  ${baselineLabel} (${ms(baseline)})`);

async function bench(db: TestDatabase) {
  const deps = databaseDeps(db);
  console.log(`\n== ${db.label}`);
  const buyers = await Promise.all(Array.from({ length: 50 }, () => createUser({ db: db.prisma, config: testConfig() })));

  // A 20,000-seat arena: 100 rows of 200 seats, three tiers.
  const { eventId, tiers } = await createEventWithSeats(db, {
    tiers: [
      { name: 'Floor', priceCents: 12_000, currency: 'USD' },
      { name: 'Lower', priceCents: 7_500, currency: 'USD' },
      { name: 'Upper', priceCents: 3_500, currency: 'USD' },
    ],
    rows: [],
    discounts: [{ minQuantity: 4, percentOff: 5 }],
  });
  const arenaRows = Array.from({ length: 100 }, (_, i) => ({ name: rowName(i), seats: 200, tierId: tiers[Math.floor((i * 3) / 100)]!.id }));
  const generateStart = performance.now();
  await generateSeats(deps, { eventId, rows: arenaRows }, null);
  const generateMs = performance.now() - generateStart;
  // Some holds and sales so the map has every status.
  for (let i = 0; i < 40; i++) {
    const seats = [
      { row: rowName(i), number: 1 + i },
      { row: rowName(i), number: 2 + i },
    ];
    if (i % 2) await reserveSeats(deps, { userId: buyers[i % 50]!.id, eventId, seats, holdMinutes: 10, staff: false });
    else await purchaseSeats(deps, { userId: buyers[i % 50]!.id, eventId, seats, idempotencyKey: crypto.randomUUID(), staff: false });
  }

  const bigEmpty = await createEventWithSeats(db, { rows: [] });
  const generate100k = async () => {
    const rows = Array.from({ length: 200 }, (_, i) => ({ name: rowName(i), seats: 500, tierId: bigEmpty.tiers[0]!.id }));
    const start = performance.now();
    await generateSeats(deps, { eventId: bigEmpty.eventId, rows }, null);
    return performance.now() - start;
  };
  const generate100kMs = await generate100k();
  const countAll = await perCall(() => db.prisma.$queryRaw`SELECT count(*) FROM "Ticket"`, 5, 1);

  const countBaseline = await perCall(() => db.prisma.$queryRaw`SELECT count(*) FROM "Ticket" WHERE "eventId" = ${eventId}::uuid`, 15);
  const plainRows = await perCall(
    () => db.prisma.ticket.findMany({ where: { eventId }, select: { rowName: true, seatNumber: true, status: true, tierId: true } }),
    10,
  );
  // A fresh cache per call: this measures reading the map, not the cache (bench/run.ts measures that over HTTP).
  const seatMap = async (viewerId: string | null) => (await createSeatMaps().full(deps, { eventId, viewerId, staff: false, holdMinutes: 10 })).map;
  const map = await perCall(() => seatMap(buyers[0]!.id), 15);
  const mapObject = await seatMap(null);
  const mapJson = await perCall(async () => JSON.stringify(await seatMap(null)), 10);

  const trivialTx = await perCall(() => transact(db, (tx) => tx.$queryRaw`SELECT 1`), 50);
  let cycle = 0;
  const reserveRelease = await perCall(async () => {
    const row = rowName(60 + (cycle % 40));
    const seats = [
      { row, number: 100 + (cycle % 50) },
      { row, number: 151 + (cycle % 49) },
    ];
    cycle++;
    const userId = buyers[cycle % 50]!.id;
    await reserveSeats(deps, { userId, eventId, seats, holdMinutes: 10, staff: false });
    await releaseSeats(deps, { userId, eventId, seats });
  }, 50);
  const reserveOnly = await perCall(async () => {
    const row = rowName(60 + (cycle % 40));
    const seats = [{ row, number: 1 + (cycle % 90) }];
    cycle++;
    await reserveSeats(deps, { userId: buyers[cycle % 50]!.id, eventId, seats, holdMinutes: 10, staff: false }).catch(() => undefined);
  }, 100);
  let purchaseN = 0;
  const purchase = await perCall(async () => {
    const seats = [{ row: rowName(40 + (purchaseN % 20)), number: 100 + Math.floor(purchaseN / 20) }];
    purchaseN++;
    await purchaseSeats(deps, { userId: buyers[purchaseN % 50]!.id, eventId, seats, idempotencyKey: crypto.randomUUID(), staff: false });
  }, 50);

  const trivialBurst = await burst(100, () => transact(db, (tx) => tx.$queryRaw`SELECT 1`));
  const reserveBurst = await burst(100, (i) =>
    reserveSeats(deps, {
      userId: buyers[i % 50]!.id,
      eventId,
      seats: [{ row: rowName(80 + Math.floor(i / 10)), number: 190 + (i % 10) }],
      holdMinutes: 10,
      staff: false,
    }),
  );
  const contendedBurst = await burst(100, (i) =>
    reserveSeats(deps, {
      userId: buyers[i % 50]!.id,
      eventId,
      seats: [
        { row: 'A', number: 199 },
        { row: 'A', number: 200 },
      ],
      holdMinutes: 10,
      staff: false,
    }).catch(() => undefined),
  );

  for (let i = 0; i < 30; i++) await createEventWithSeats(db, { rows: [['A', 50]] });
  const listPlain = await perCall(
    () => db.prisma.event.findMany({ take: 20, orderBy: [{ startsAt: 'asc' }, { id: 'asc' }], select: { id: true, name: true } }),
    20,
  );
  const list = await perCall(() => listEvents(deps, { limit: 20, includePast: false, staff: false }), 20);

  const seatsInMap = mapObject.rows.reduce((n, r) => n + r.seats.length, 0);
  console.log(
    `  (seat map: ${seatsInMap} seats in ${mapObject.rows.length} rows; ${(JSON.stringify(mapObject).length / 1024).toFixed(0)} KiB of JSON)`,
  );
  line('seatMap, 20,000 seats (one query)', map, countBaseline, 'x SELECT count(*) of those seats');
  line('seatMap + JSON.stringify', mapJson, countBaseline, 'x SELECT count(*) of those seats');
  line('naive findMany of the 20,000 seats', plainRows, countBaseline, 'x SELECT count(*) of those seats');
  line('tickets.reserve, 1 seat', reserveOnly, trivialTx, 'x trivial transaction');
  line('reserve + release, 2 seats', reserveRelease, trivialTx, 'x trivial transaction');
  line('tickets.purchase, 1 seat', purchase, trivialTx, 'x trivial transaction');
  line('100 concurrent reserves, distinct seats', reserveBurst, trivialBurst, 'x 100 concurrent trivial transactions');
  line('100 concurrent reserves, the same 2 seats', contendedBurst, trivialBurst, 'x 100 concurrent trivial transactions');
  line('events.list, 20 events with seat counts', list, listPlain, 'x plain findMany of 20 events');
  line('inventory.generate, 20,000 seats', generateMs, countAll, 'x SELECT count(*) of all seats');
  line('inventory.generate, 100,000 seats', generate100kMs, countAll, 'x SELECT count(*) of all seats');
  console.log(
    `  throughput: ${(1000 / reserveOnly).toFixed(0)} reserves/s sequential, ${((100 * 1000) / reserveBurst).toFixed(0)} reserves/s with 100 at once`,
  );
}

const serverUrl = process.env.TEST_DATABASE_URL;
delete process.env.TEST_DATABASE_URL;
const pglite = await createTestDatabase();
try {
  await bench(pglite);
} finally {
  await pglite.close();
}
if (serverUrl) {
  process.env.TEST_DATABASE_URL = serverUrl;
  const server = await createTestDatabase();
  try {
    await bench(server);
  } finally {
    await server.close();
  }
}
