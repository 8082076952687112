/**
 * Generating a venue layout of 100,000 seats: `npx tsx bench/layout.bench.ts` (PGlite in memory;
 * on the PostgreSQL server when TEST_DATABASE_URL is set, in a fresh database dropped afterwards).
 *
 * The figure: `inventory.generateLayout` of 100,000 seats in two sections (aisles, odd-even
 * numbering, wheelchair and restricted-view places) through the service, all or nothing. Baseline
 * in the same run: `inventory.generate` of the same 100,000 seats as plain rows (INSERT ... SELECT
 * generate_series, no sections or places). Printed: seconds for each, three runs each on fresh
 * events, the best of each, and the ratio.
 */
import { createTestDatabase } from '../test/db.js';
import { startTestApp } from '../test/app.js';
import { createUser } from '../test/users.js';
import { rowName } from '../shared/seats.js';
import { venueLayout } from '../shared/layout.js';
import { databaseDeps } from '../server/db/database.js';
import { createEvent } from '../server/services/events/create-event.js';
import { setTiers } from '../server/services/pricing/set-tiers.js';
import { generateLayout } from '../server/services/inventory/generate-layout.js';
import { generateSeats } from '../server/services/inventory/generate-seats.js';

const RUNS = 3;

async function main() {
  const db = await createTestDatabase();
  const t = await startTestApp({ db });
  try {
    const deps = databaseDeps(db);
    const staff = await createUser(t, { role: 'STAFF', staffStatus: 'APPROVED' });
    const actor = { userId: staff.id, meta: { ip: null, userAgent: 'bench' } };
    const newEvent = async (name: string) => {
      const event = await createEvent(deps, { name, venue: 'Bench Hall', startsAt: new Date(Date.now() + 86_400_000).toISOString() }, actor);
      const tiers = await setTiers(
        deps,
        {
          eventId: event.id,
          tiers: [
            { name: 'Floor', priceCents: 5000, currency: 'USD' },
            { name: 'Tier', priceCents: 3000, currency: 'USD' },
          ],
        },
        actor,
      );
      return { eventId: event.id, tiers };
    };
    const layout = venueLayout.parse({
      sections: [
        {
          name: 'Floor',
          prefix: 'F',
          rows: [{ from: 'A', to: 'CV', seats: 500, aisles: [100, 400], tier: 'Floor' }],
          wheelchair: ['A1', 'A2', 'A499', 'A500'],
          companion: ['A3', 'A498'],
          restricted: Array.from({ length: 100 }, (_, i) => `${rowName(i)}250`),
        },
        { name: 'Tier', prefix: 'T', rows: [{ from: 'A', to: 'CV', seats: 500, numbering: 'odd-even', aisles: [250], tier: 'Tier' }] },
      ],
    });
    const timings = { layout: [] as number[], rows: [] as number[] };
    for (let run = 1; run <= RUNS; run++) {
      const a = await newEvent(`Layout bench ${run}`);
      let start = performance.now();
      const made = await generateLayout(deps, { eventId: a.eventId, layout }, actor);
      timings.layout.push((performance.now() - start) / 1000);
      if (made.created !== 100_000) throw new Error(`layout created ${made.created}`);

      const b = await newEvent(`Rows bench ${run}`);
      const rows = Array.from({ length: 200 }, (_, i) => ({ name: rowName(i), seats: 500, tierId: b.tiers[i < 100 ? 0 : 1]!.id }));
      start = performance.now();
      const plain = await generateSeats(deps, { eventId: b.eventId, rows }, actor);
      timings.rows.push((performance.now() - start) / 1000);
      if (plain.created !== 100_000) throw new Error(`rows created ${plain.created}`);
    }
    const best = (xs: number[]) => Math.min(...xs);
    console.log(`\n== ${db.label}: 100,000 seats, ${RUNS} runs each`);
    console.log(
      `layout (2 sections, aisles, odd-even, features): ${timings.layout.map((s) => s.toFixed(2)).join(', ')} s; best ${best(timings.layout).toFixed(2)} s`,
    );
    console.log(
      `baseline plain rows (inventory.generate):        ${timings.rows.map((s) => s.toFixed(2)).join(', ')} s; best ${best(timings.rows).toFixed(2)} s`,
    );
    console.log(`ratio layout / rows: ${(best(timings.layout) / best(timings.rows)).toFixed(2)}x`);
  } finally {
    await t.close();
    await db.close();
  }
}

await main();
