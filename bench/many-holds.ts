/**
 * Reserve + release while thousands of other shoppers hold seats of the same event, against the
 * same loop with nobody else holding: an on-sale's hold count must not slow each buyer's own calls.
 *
 *   TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx bench/many-holds.ts
 *
 * On a fresh database (dropped at the end): the bench fixture (20,000 seats, 50 buyers), statistics
 * taken before anyone holds (as before an on-sale), autovacuum off for "Ticket" so they stay so.
 * Each of the 50 buyers loops tessera_reserve() of 2 adjacent random seats and releaseSeats() of
 * them (the app's own statement), through a pool of 50, in 4 s turns: 3 with nobody else holding,
 * then 3 after `BENCH_OTHERS` (default 15,000) other accounts each hold one seat of the first rows.
 * PostgreSQL only: on PGlite there is one session and no planner statistics to go stale that way.
 */
import { openPostgres } from '../server/db/database.js';
import { migrate } from '../server/db/migrate.js';
import { releaseSeats } from '../server/services/tickets/release-seats.js';
import { rowName } from '../shared/seats.js';
import { admin, withDatabase } from '../test/db.js';
import { holdSeatsForOthers } from '../test/inventory-fixtures.js';
import { fillFixture, ROWS, SEATS_PER_ROW, type Fixture } from './lib/fixture.js';
import { randomInt } from './lib/stats.js';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  console.error('many-holds needs PostgreSQL: set TEST_DATABASE_URL');
  process.exit(2);
}
const OTHERS = Number(process.env.BENCH_OTHERS ?? 15_000);
const heldRows = Math.ceil(OTHERS / SEATS_PER_ROW);
if (heldRows >= ROWS) throw new Error(`BENCH_OTHERS must leave a row free (at most ${(ROWS - 1) * SEATS_PER_ROW})`);

const name = `tessera_bench_holds_${process.pid}`;
await admin(serverUrl, `CREATE DATABASE ${name}`);
const db = await openPostgres(withDatabase(serverUrl, name), { poolSize: 50 });
try {
  const connection = await db.connect();
  await migrate(connection);
  await connection.close();
  const fixture = await fillFixture(db, 4);
  await db.query('ANALYZE "Ticket"');
  await db.query('ALTER TABLE "Ticket" SET (autovacuum_enabled = false)');

  const alone = await turns(fixture);
  console.log(`nobody else holding:          ${alone.join(', ')} cycles/s`);
  await holdSeatsForOthers(
    db,
    fixture.eventId,
    OTHERS,
    Array.from({ length: heldRows }, (_, i) => rowName(i)),
  );
  const crowded = await turns(fixture);
  console.log(`${OTHERS.toLocaleString('en-US')} held by others:       ${crowded.join(', ')} cycles/s`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`ratio: ${(mean(crowded) / mean(alone)).toFixed(2)}x (target: about 1x)`);
} finally {
  await db.close();
  await admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Three 4 s turns of the 50 buyers' reserve + release loop on the rows nobody else holds: cycles/s of each. */
async function turns(fixture: Fixture): Promise<number[]> {
  const rates: number[] = [];
  for (let turn = 0; turn < 3; turn++) {
    let cycles = 0;
    const end = performance.now() + 4000;
    await Promise.all(
      fixture.buyers.map(async (buyer) => {
        while (performance.now() < end) {
          const row = rowName(heldRows + randomInt(ROWS - heldRows));
          const number = 1 + randomInt(SEATS_PER_ROW - 1);
          const [held] = await db.query<{ result: { error?: string } }>(
            'SELECT tessera_reserve($1::uuid, $2::uuid, $3::text[], $4::int[], 600, false, 10, null) AS result',
            [fixture.eventId, buyer.id, [row, row], [number, number + 1]],
            'bench_reserve',
          );
          if (held!.result.error) continue;
          await releaseSeats(
            { database: db, db: db.prisma },
            {
              userId: buyer.id,
              eventId: fixture.eventId,
              seats: [
                { row, number },
                { row, number: number + 1 },
              ],
            },
          );
          cycles++;
        }
      }),
    );
    rates.push(Math.round(cycles / 4));
  }
  return rates;
}
