import { databaseDeps, type Database } from '../../server/db/database.js';
import { hashPassword } from '../../server/lib/passwords.js';
import { rowName } from '../../shared/seats.js';
import { createEvent } from '../../server/services/events/create-event.js';
import { generateSeats } from '../../server/services/inventory/generate-seats.js';
import { setTiers } from '../../server/services/pricing/set-tiers.js';
import { randomInt } from './stats.js';

export const ROWS = 100;
export const SEATS_PER_ROW = 200;
export const BUYERS = 50;
/** Same for every buyer: one bcrypt hash serves all 50 accounts. */
export const BUYER_PASSWORD = 'bench buyer passphrase';

export interface Buyer {
  id: string;
  email: string;
}

export interface Fixture {
  eventId: string;
  buyers: Buyer[];
}

/**
 * The bench's event and buyers, written through the app's own services (so the rows are exactly
 * what the app would make): one ON_SALE event with 100 rows of 200 seats in three tiers, and 50
 * customers with real bcrypt hashes at the server's cost.
 */
export async function fillFixture(db: Database, bcryptCost: number): Promise<Fixture> {
  const deps = databaseDeps(db);
  const event = await createEvent(
    deps,
    {
      name: 'Bench Arena',
      venue: 'Bench Hall',
      startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      status: 'ON_SALE',
    },
    null,
  );
  const tiers = await setTiers(
    deps,
    {
      eventId: event.id,
      tiers: [
        { name: 'Floor', priceCents: 12_000, currency: 'USD' },
        { name: 'Lower', priceCents: 7_500, currency: 'USD' },
        { name: 'Upper', priceCents: 3_500, currency: 'USD' },
      ],
    },
    null,
  );
  const tierOf = (row: number) => tiers[Math.min(2, Math.floor((row * 3) / ROWS))]!.id;
  await generateSeats(
    deps,
    {
      eventId: event.id,
      rows: Array.from({ length: ROWS }, (_, i) => ({ name: rowName(i), seats: SEATS_PER_ROW, tierId: tierOf(i) })),
    },
    null,
  );

  // Hashing 50 passwords at cost 12 would take ~15 s on two cores; the hash is equally real reused.
  const passwordHash = await hashPassword(BUYER_PASSWORD, bcryptCost);
  const emails = Array.from({ length: BUYERS }, (_, i) => `buyer-${String(i).padStart(2, '0')}@bench.example`);
  await db.prisma.user.createMany({
    data: emails.map((email, i) => ({ email, name: `Bench Buyer ${i}`, passwordHash, emailVerifiedAt: new Date() })),
  });
  const users = await db.prisma.user.findMany({ where: { email: { in: emails } }, select: { id: true, email: true }, orderBy: { email: 'asc' } });
  return { eventId: event.id, buyers: users };
}

/** Two adjacent seats anywhere in the arena: a random row, seats n and n + 1. */
export function randomPair(): { row: string; number: number } {
  return { row: rowName(randomInt(ROWS)), number: 1 + randomInt(SEATS_PER_ROW - 1) };
}
