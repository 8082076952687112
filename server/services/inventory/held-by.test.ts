import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, SqlConnection } from '../../db/database.js';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { createEventWithSeats, holdSeatsForOthers } from '../../../test/inventory-fixtures.js';
import { releaseSeats } from '../tickets/release-seats.js';
import { reserveBest } from '../tickets/reserve-best.js';
import { reserveSeats } from '../tickets/reserve-seats.js';
import { mineOf } from './seat-map.js';

/** Seats held by other buyers; each of the lookups below must read none of them. */
const OTHERS = 1500;
const WIDE_INDEX = 'Ticket_eventId_status_holdExpiresAt_idx';

let db: TestDatabase;
let conn: SqlConnection;
let eventId: string;
let buyerId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  // 20 rows of 100 seats.
  ({ eventId } = await createEventWithSeats(db, {
    rows: Array.from({ length: 20 }, (_, i) => [String.fromCharCode(65 + i), 100] as [string, number]),
  }));
  const [buyer] = await db.query<{ id: string }>(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES (gen_random_uuid(), 'buyer@example.com', 'Buyer', 'x', now()) RETURNING id::text`,
  );
  buyerId = buyer!.id;
  // Statistics as they stand before an on-sale (no seat held), kept so: the holds below come after.
  await db.query('ANALYZE "Ticket"');
  if (db.kind === 'postgresql') await db.query('ALTER TABLE "Ticket" SET (autovacuum_enabled = false)');
  await holdSeatsForOthers(db, eventId, OTHERS);
  conn = await db.connect();
});

afterAll(async () => {
  await conn?.close();
  await db?.close();
});

/** The app's calls on one connection, so that connection's statistics count exactly what they read. */
function oneConnection(): { database: Database; db: TestDatabase['prisma'] } {
  return { database: { ...db, query: <T>(text: string, values?: unknown[]) => conn.query<T>(text, values) }, db: db.prisma };
}

/** Index entries of the event-wide (event, status, expiry) index that `fn` read. */
async function wideIndexReads(fn: () => Promise<unknown>): Promise<number> {
  const read = async () => {
    await conn.query('SELECT pg_stat_force_next_flush()');
    await conn.query('SELECT pg_stat_clear_snapshot()');
    const [row] = await conn.query<{ n: string }>(`SELECT idx_tup_read::text AS n FROM pg_stat_user_indexes WHERE indexrelname = $1`, [WIDE_INDEX]);
    return Number(row!.n);
  };
  const before = await read();
  await fn();
  return (await read()) - before;
}

describe(`a buyer's own holds are looked up through the buyer's seats, however many others hold (${process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
  it('reserve, the seat map, release and best available read none of the 1,500 seats others hold', async () => {
    const deps = oneConnection();
    const seats = [
      { row: 'T', number: 50 },
      { row: 'T', number: 51 },
    ];
    const reads: Record<string, number> = {};
    // Each twice: the second call runs the cached plan.
    for (let i = 0; i < 2; i++) {
      reads.reserve = await wideIndexReads(() => reserveSeats(deps, { userId: buyerId, eventId, seats, holdMinutes: 10, staff: false }));
      reads.mine = await wideIndexReads(async () => expect(await mineOf(deps, eventId, buyerId)).toHaveLength(2));
      reads.release = await wideIndexReads(async () =>
        expect(await releaseSeats(deps, { userId: buyerId, eventId, seats })).toEqual({ released: 2 }),
      );
      reads.best = await wideIndexReads(async () => {
        const hold = await reserveBest(deps, { eventId, quantity: 2, userId: buyerId, holdMinutes: 10, staff: false });
        await releaseSeats(deps, { userId: buyerId, eventId, seats: hold.seats });
      });
    }
    // Best available still reads the event's seats to find a free block, but not through this index.
    expect(reads).toEqual({ reserve: 0, mine: 0, release: 0, best: 0 });
  });
});
