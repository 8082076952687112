import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { databaseDeps, openPostgres } from '../../db/database.js';
import { testConfig } from '../../../test/config.js';
import { ensureAdmin } from '../auth/ensure-admin.js';
import { listEvents } from '../events/list-events.js';
import { DEMO_ADMIN_EMAIL, demoPasswordFile, seedDemo, seedDemoIfEmpty } from './seed-demo.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-seed-data-'));
const config = { bcryptCost: 4, admin: null, dataDir };
const counts = async () => ({
  users: await db.prisma.user.count(),
  events: await db.prisma.event.count(),
  tiers: await db.prisma.priceTier.count(),
  discounts: await db.prisma.groupDiscount.count(),
  seats: await db.prisma.ticket.count(),
});

describe('demo seed', () => {
  it('creates a demo admin and several on-sale events with tiers, discounts and seats, reporting progress', async () => {
    const lines: string[] = [];
    const result = await seedDemo(databaseDeps(db), config, { bigEventSeats: 1_050, log: (line) => lines.push(line) });
    expect(result.eventsCreated).toBeGreaterThanOrEqual(3);

    const admin = await db.prisma.user.findUniqueOrThrow({
      where: { email: DEMO_ADMIN_EMAIL },
      select: { role: true, staffStatus: true, passwordHash: true },
    });
    expect(admin).toMatchObject({ role: 'ADMIN', staffStatus: 'APPROVED' });
    // The password goes to a file only its owner can read, never to the log.
    expect(result.admin.passwordFile).toBe(demoPasswordFile(dataDir));
    expect(fs.statSync(result.admin.passwordFile!).mode & 0o777).toBe(0o600);
    const [email, password] = fs.readFileSync(result.admin.passwordFile!, 'utf8').trim().split('\n');
    expect(email).toBe(DEMO_ADMIN_EMAIL);
    expect(password).toMatch(/^[\w-]{16}$/);
    expect(await bcrypt.compare(password!, admin.passwordHash)).toBe(true);
    expect(lines.join('\n')).not.toContain(password);
    expect(lines.join('\n')).toContain(`demo admin created: ${DEMO_ADMIN_EMAIL}; its password is in ${demoPasswordFile(dataDir)}`);
    expect(lines.some((l) => /Summer Gala: 1,050 \/ 1,050 seats/.test(l))).toBe(true);

    const { items } = await listEvents(databaseDeps(db), { limit: 100, includePast: false, staff: false });
    expect(items).toHaveLength(result.eventsCreated);
    for (const event of items) {
      expect(event.status).toBe('ON_SALE');
      expect(event.minPriceCents).toBeGreaterThan(0);
      expect(event.seats.total).toBeGreaterThan(0);
      expect(await db.prisma.groupDiscount.count({ where: { eventId: event.id } })).toBeGreaterThan(0);
    }
    expect(Math.max(...items.map((e) => e.seats.total))).toBe(1_050);
    expect(result.seatsCreated).toBe(items.reduce((sum, e) => sum + e.seats.total, 0));
  });

  it('running it again creates nothing, and a half-finished run is completed', async () => {
    const before = await counts();
    const again = await seedDemo(databaseDeps(db), config, { bigEventSeats: 1_050, log: () => {} });
    expect(again).toMatchObject({ admin: { passwordFile: null }, eventsCreated: 0, seatsCreated: 0 });
    expect(await counts()).toEqual(before);

    const gala = await db.prisma.event.findFirstOrThrow({ where: { name: { contains: 'Summer Gala' } }, select: { id: true } });
    await db.prisma.ticket.deleteMany({ where: { eventId: gala.id, rowName: { in: ['B', 'E'] } } });
    const resumed = await seedDemo(databaseDeps(db), config, { bigEventSeats: 1_050, log: () => {} });
    expect(resumed.seatsCreated).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('seedDemoIfEmpty leaves a database that has events alone', async () => {
    const before = await counts();
    expect(await seedDemoIfEmpty(db, config, { log: () => {} })).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('with ADMIN_EMAIL set, that admin owns the demo events and no other admin is made', async () => {
    const fresh = await createTestDatabase();
    const ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-seed-admin-'));
    try {
      const admin = { email: 'boss@example.com', password: 'a long admin passphrase' };
      expect(await ensureAdmin({ db: fresh.prisma, config: testConfig({ admin }) })).toBe('created');
      const lines: string[] = [];
      const result = await seedDemo(
        databaseDeps(fresh),
        { bcryptCost: 4, admin, dataDir: ownDir },
        { bigEventSeats: 100, log: (line) => lines.push(line) },
      );
      expect(result.admin).toEqual({ email: admin.email, passwordFile: null });
      expect(await fresh.prisma.user.findMany({ where: { role: 'ADMIN' }, select: { email: true } })).toEqual([{ email: admin.email }]);
      const owners = await fresh.prisma.event.findMany({ select: { createdBy: { select: { email: true } } } });
      expect(owners.length).toBeGreaterThan(0);
      expect(owners.every((o) => o.createdBy?.email === admin.email)).toBe(true);
      expect(fs.existsSync(demoPasswordFile(ownDir))).toBe(false);
      expect(lines.join('\n')).not.toContain(admin.password);
    } finally {
      await fresh.close();
      fs.rmSync(ownDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('instances starting at once on one PostgreSQL seed once', async () => {
    const fresh = await createTestDatabase();
    const instances = await Promise.all([openPostgres(fresh.url!), openPostgres(fresh.url!), openPostgres(fresh.url!)]);
    try {
      const results = await Promise.all(instances.map((i) => seedDemoIfEmpty(i, config, { bigEventSeats: 1_050, log: () => {} })));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await fresh.prisma.event.count()).toBe(results.find((r) => r !== null)!.eventsCreated);
      expect(await fresh.prisma.user.count({ where: { email: DEMO_ADMIN_EMAIL } })).toBe(1);
    } finally {
      await Promise.all(instances.map((i) => i.close()));
      await fresh.close();
    }
  });

  it('at full size fills an empty database with a 20,000-seat event', async () => {
    const fresh = await createTestDatabase();
    try {
      const result = await seedDemoIfEmpty(fresh, config, { log: () => {} });
      expect(result?.seatsCreated).toBeGreaterThan(20_000);
      const biggest = await fresh.prisma.ticket.groupBy({ by: ['eventId'], _count: { _all: true } });
      expect(Math.max(...biggest.map((b) => b._count._all))).toBeGreaterThanOrEqual(20_000);
    } finally {
      await fresh.close();
    }
  });
});

describe('npx prisma db seed', () => {
  it('migrates and seeds an empty embedded database, and a second run creates nothing', { timeout: 90_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-seed-'));
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('npx', ['prisma', 'db', 'seed'], {
          cwd: path.resolve(import.meta.dirname, '../../..'),
          env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: `pglite:${dir}/db`, DATA_DIR: dir, BCRYPT_COST: '4' },
        });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('exit', (code) => resolve({ code, out }));
      });
    try {
      const first = await run();
      expect(first.code, first.out).toBe(0);
      expect(first.out).toContain(`demo admin created: admin@tessera.example; its password is in ${dir}/demo-admin-password`);
      expect(fs.readFileSync(`${dir}/demo-admin-password`, 'utf8')).toMatch(/^admin@tessera\.example\n[\w-]{16}\n$/);
      expect(first.out).toMatch(/Summer Gala: 20,000 \/ 20,000 seats/);
      const second = await run();
      expect(second.code, second.out).toBe(0);
      expect(second.out).toContain('demo data ready: 0 event(s) and 0 seat(s) created');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
