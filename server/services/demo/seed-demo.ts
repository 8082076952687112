import type { AppDeps } from '../../deps.js';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseDeps, type Database } from '../../db/database.js';
import type { Config } from '../../env.js';
import { rowName } from '../../../shared/seats.js';
import { hashPassword } from '../../lib/passwords.js';
import { createEvent } from '../events/create-event.js';
import type { PaymentMethod } from '../../../shared/orders.js';
import { generateSeats } from '../inventory/generate-seats.js';
import { generateLayout } from '../inventory/generate-layout.js';
import { venueLayout, type VenueLayoutInput } from '../../../shared/layout.js';
import { setGroupDiscounts } from '../pricing/set-group-discounts.js';
import { setTiers } from '../pricing/set-tiers.js';

export const DEMO_ADMIN_EMAIL = 'admin@tessera.example';

interface DemoEvent {
  name: string;
  venue: string;
  description: string;
  imageUrl: string | null;
  inDays: number;
  hours: number;
  tiers: Array<{ name: string; priceCents: number; currency: string }>;
  discounts: Array<{ minQuantity: number; percentOff: number }>;
  /** Row names in order, seats per row, and which tier (index into tiers) each row gets. */
  rows: Array<{ name: string; seats: number; tier: number }>;
  /** Instead of rows: a venue in sections with accessible places (shared/layout.ts). */
  layout?: VenueLayoutInput;
  /** How it is paid for, when not only at once (shows paying later in the demo). */
  payment?: { methods: PaymentMethod[]; days: number };
  /** A promo code to try at checkout: percent off every seat. */
  promo?: { code: string; percentOff: number };
}

export interface SeedOptions {
  /** Seats of the big arena event (20,000 for the demo; tests pass fewer). */
  bigEventSeats?: number;
  /** Where progress goes: a line per step; `sameLine` lines may overwrite each other on a terminal. */
  log?: (line: string, sameLine?: boolean) => void;
}

export interface SeedResult {
  /** The admin the demo events belong to; `passwordFile` names the file with its password when it was just created. */
  admin: { email: string; passwordFile: string | null };
  eventsCreated: number;
  seatsCreated: number;
}

function rowsOf(seatCount: number, perRow: number, tierOfRow: (row: number, rows: number) => number) {
  const count = Math.ceil(seatCount / perRow);
  return Array.from({ length: count }, (_, i) => ({
    name: rowName(i),
    seats: i === count - 1 ? seatCount - perRow * (count - 1) : perRow,
    tier: tierOfRow(i, count),
  }));
}

function demoEvents(bigEventSeats: number): DemoEvent[] {
  return [
    {
      name: 'Tessera Philharmonic: Summer Gala',
      venue: 'Riverside Arena',
      description: 'The full orchestra and choir in the arena: Beethoven’s Ninth under the open roof.',
      imageUrl: null,
      inDays: 21,
      hours: 19.5,
      tiers: [
        { name: 'Floor', priceCents: 12_000, currency: 'USD' },
        { name: 'Lower bowl', priceCents: 7_500, currency: 'USD' },
        { name: 'Upper bowl', priceCents: 3_500, currency: 'USD' },
      ],
      discounts: [
        { minQuantity: 4, percentOff: 5 },
        { minQuantity: 8, percentOff: 10 },
      ],
      rows: rowsOf(bigEventSeats, 200, (row, rows) => Math.min(2, Math.floor((row * 3) / rows))),
    },
    {
      name: 'Midnight Jazz Trio',
      venue: 'Blue Note Cellar',
      description: 'Piano, bass and drums, late and close.',
      imageUrl: null,
      inDays: 9,
      hours: 23,
      tiers: [
        { name: 'Table', priceCents: 4_500, currency: 'USD' },
        { name: 'Bar', priceCents: 2_500, currency: 'USD' },
      ],
      discounts: [{ minQuantity: 4, percentOff: 10 }],
      rows: rowsOf(96, 12, (row) => (row < 4 ? 0 : 1)),
    },
    {
      name: 'The Tempest, in the Park',
      venue: 'Open Air Theatre',
      description: 'Shakespeare’s last play under the trees. Bring a blanket.',
      imageUrl: null,
      inDays: 35,
      payment: { methods: ['instant', 'box_office', 'bank_transfer'], days: 7 },
      promo: { code: 'TEMPEST10', percentOff: 10 },
      hours: 20,
      tiers: [
        { name: 'Premium', priceCents: 6_000, currency: 'EUR' },
        { name: 'Standard', priceCents: 3_500, currency: 'EUR' },
        { name: 'Restricted view', priceCents: 1_500, currency: 'EUR' },
      ],
      discounts: [{ minQuantity: 6, percentOff: 15 }],
      rows: rowsOf(600, 30, (row) => (row < 5 ? 0 : row < 17 ? 1 : 2)),
    },
    {
      name: 'Indie Rock Night',
      venue: 'The Warehouse',
      description: 'Three bands, one loud night.',
      imageUrl: null,
      inDays: 14,
      hours: 21,
      tiers: [
        { name: 'Front', priceCents: 4_000, currency: 'USD' },
        { name: 'Back', priceCents: 2_800, currency: 'USD' },
      ],
      discounts: [
        { minQuantity: 2, percentOff: 5 },
        { minQuantity: 5, percentOff: 12 },
      ],
      rows: rowsOf(600, 40, (row) => (row < 6 ? 0 : 1)),
    },
    {
      name: 'A Midsummer Night’s Dream',
      venue: 'Lyric Theatre',
      description: 'Lovers, fairies and a play within the play, in a Victorian theatre with stalls and a circle.',
      imageUrl: null,
      inDays: 28,
      hours: 19.5,
      tiers: [
        { name: 'Stalls', priceCents: 5_500, currency: 'GBP' },
        { name: 'Circle', priceCents: 3_500, currency: 'GBP' },
      ],
      discounts: [{ minQuantity: 6, percentOff: 10 }],
      rows: [],
      layout: {
        sections: [
          {
            name: 'Stalls',
            rows: [{ from: 'A', to: 'L', seats: 24, aisles: [6, 18], tier: 'Stalls' }],
            wheelchair: ['A1', 'A24'],
            companion: ['A2', 'A23'],
            restricted: ['L1', 'L24'],
          },
          {
            name: 'Circle',
            prefix: 'C',
            rows: [{ from: 'A', to: 'F', seats: 28, numbering: 'odd-even', aisles: [14], tier: 'Circle' }],
            missing: ['F27', 'F28'],
            restricted: ['F25', 'F26'],
          },
        ],
      },
    },
  ];
}

/** Rows per generate call: each call is all-or-nothing, and progress is reported between them. */
const ROWS_PER_CALL = 20;

/**
 * Fills the database with demo data through the same services the API uses: a demo admin and
 * several on-sale events with tiers, group discounts and seats (one with `bigEventSeats` seats).
 * Idempotent and resumable: what exists (by email, event name, tier, row) is left alone and only
 * the missing parts are created, so a second run creates nothing.
 */
export async function seedDemo(deps: Pick<AppDeps, 'db' | 'database'>, config: SeedConfig, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = deps.db;
  const admin = await demoOwner(deps, config);
  if (admin.passwordFile) log(`demo admin created: ${admin.email}; its password is in ${admin.passwordFile} (readable only by you)`);
  else log(`demo events belong to ${admin.email}`);

  // The audit log names the admin the demo events belong to as their author.
  const seeder = { userId: admin.id, meta: { ip: null, userAgent: 'npx prisma db seed' } };
  let eventsCreated = 0;
  let seatsCreated = 0;
  for (const demo of demoEvents(options.bigEventSeats ?? 20_000)) {
    let event = await db.event.findFirst({ where: { name: demo.name }, select: { id: true } });
    if (!event) {
      const startsAt = new Date(Date.now() + demo.inDays * 86_400_000);
      startsAt.setUTCHours(Math.floor(demo.hours), (demo.hours % 1) * 60, 0, 0);
      event = await createEvent(
        deps,
        {
          name: demo.name,
          venue: demo.venue,
          description: demo.description,
          imageUrl: demo.imageUrl,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
          status: 'ON_SALE',
          ...(demo.payment ? { paymentMethods: demo.payment.methods, payLaterDays: demo.payment.days } : {}),
        },
        seeder,
      );
      eventsCreated++;
    }
    const eventId = event.id;

    const existingTiers = await db.priceTier.findMany({ where: { eventId }, select: { id: true, name: true, priceCents: true, currency: true } });
    const missingTiers = demo.tiers.filter((t) => !existingTiers.some((e) => e.name === t.name));
    const tiers = missingTiers.length === 0 ? existingTiers : await setTiers(deps, { eventId, tiers: [...existingTiers, ...missingTiers] }, seeder);
    if ((await db.groupDiscount.count({ where: { eventId } })) === 0) await setGroupDiscounts(deps, { eventId, rules: demo.discounts }, seeder);
    if (demo.promo)
      await db.voucher.upsert({
        where: { eventId_code: { eventId, code: demo.promo.code } },
        create: { eventId, code: demo.promo.code, kind: 'percent', value: demo.promo.percentOff, note: 'Demo promo code' },
        update: {},
        select: { id: true },
      });

    if (demo.layout) {
      // A layout is all or nothing: laid out once, when the event has no seats yet.
      const created =
        (await db.ticket.count({ where: { eventId } })) === 0
          ? (await generateLayout(deps, { eventId, layout: venueLayout.parse(demo.layout) }, seeder)).created
          : 0;
      seatsCreated += created;
      log(created ? `  ${demo.name}: ${created.toLocaleString('en-US')} seats in sections` : `  ${demo.name}: already seeded`);
      continue;
    }
    const existingRows = new Set((await db.ticket.groupBy({ by: ['rowName'], where: { eventId } })).map((r) => r.rowName));
    const todo = demo.rows.filter((r) => !existingRows.has(r.name));
    const total = todo.reduce((sum, r) => sum + r.seats, 0);
    let done = 0;
    for (let i = 0; i < todo.length; i += ROWS_PER_CALL) {
      const rows = todo.slice(i, i + ROWS_PER_CALL).map((r) => ({
        name: r.name,
        seats: r.seats,
        tierId: tiers.find((t) => t.name === demo.tiers[r.tier]!.name)!.id,
      }));
      done += (await generateSeats(deps, { eventId, rows }, seeder)).created;
      log(`  ${demo.name}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} seats`, true);
    }
    seatsCreated += done;
    if (total === 0) log(`  ${demo.name}: already seeded`);
  }
  log(`demo data ready: ${eventsCreated} event(s) and ${seatsCreated.toLocaleString('en-US')} seat(s) created`);
  return { admin: { email: admin.email, passwordFile: admin.passwordFile }, eventsCreated, seatsCreated };
}

export type SeedConfig = Pick<Config, 'bcryptCost' | 'admin' | 'dataDir'>;

/** The file the demo admin's password is written to (mode 0600); it is never logged. */
export const demoPasswordFile = (dataDir: string) => path.join(dataDir, 'demo-admin-password');

/**
 * Who owns the demo events: the ADMIN_EMAIL admin when one is configured (created before seeding;
 * no other admin is made), else a demo admin created once with a random password that goes to a
 * file under DATA_DIR, never to the log.
 */
async function demoOwner(deps: Pick<AppDeps, 'db'>, config: SeedConfig): Promise<{ id: string; email: string; passwordFile: string | null }> {
  if (config.admin) {
    const admin = await deps.db.user.findUnique({ where: { email: config.admin.email }, select: { id: true } });
    if (!admin) throw new Error(`The ADMIN_EMAIL account ${config.admin.email} does not exist; create it before seeding.`);
    return { id: admin.id, email: config.admin.email, passwordFile: null };
  }
  const existing = await deps.db.user.findUnique({ where: { email: DEMO_ADMIN_EMAIL }, select: { id: true } });
  if (existing) return { id: existing.id, email: DEMO_ADMIN_EMAIL, passwordFile: null };
  const password = crypto.randomBytes(12).toString('base64url');
  const file = demoPasswordFile(config.dataDir);
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${DEMO_ADMIN_EMAIL}\n${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  const user = await deps.db.user.create({
    data: {
      email: DEMO_ADMIN_EMAIL,
      name: 'Demo Admin',
      passwordHash: await hashPassword(password, config.bcryptCost),
      role: 'ADMIN',
      staffStatus: 'APPROVED',
      emailVerifiedAt: new Date(),
    },
    select: { id: true },
  });
  return { id: user.id, email: DEMO_ADMIN_EMAIL, passwordFile: file };
}

/** `npm start` on an empty database: seed it; a database that has any event is left alone. */
export async function seedDemoIfEmpty(database: Database, config: SeedConfig, options: SeedOptions = {}): Promise<SeedResult | null> {
  return withSeedLock(database, async () => {
    if ((await database.prisma.event.count()) > 0) return null;
    return seedDemo(databaseDeps(database), config, options);
  });
}

/** Any fixed key, other than the migrations' one. */
const SEED_LOCK_KEY = '7305019211483613';

/**
 * Runs `fn` holding a PostgreSQL advisory lock on a dedicated connection, so instances starting at
 * once on one database (or `prisma db seed` beside a start) seed one after the other: the second
 * finds the data and adds nothing.
 */
export async function withSeedLock<T>(database: Pick<Database, 'connect'>, fn: () => Promise<T>): Promise<T> {
  const connection = await database.connect();
  try {
    await connection.query('SELECT pg_advisory_lock($1)', [SEED_LOCK_KEY]);
    try {
      return await fn();
    } finally {
      await connection.query('SELECT pg_advisory_unlock($1)', [SEED_LOCK_KEY]);
    }
  } finally {
    await connection.close();
  }
}
