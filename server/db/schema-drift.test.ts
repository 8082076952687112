import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import type { SqlConnection } from './database.js';
import { schemaDrift } from './schema-drift.js';

const schemaFile = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');
const datamodel = fs.readFileSync(schemaFile, 'utf8');

let db: TestDatabase;
let connection: SqlConnection;
beforeAll(async () => {
  db = await createTestDatabase();
  connection = await db.connect();
});
afterAll(async () => {
  await connection.close();
  await db.close();
});

describe('migrations against schema.prisma', () => {
  it('the migrated database matches schema.prisma exactly', async () => {
    expect(await schemaDrift(datamodel, connection)).toEqual([]);
  });

  it('notices a column schema.prisma has and the migrations do not', async () => {
    const edited = datamodel.replace(
      '  phone           String?     @db.VarChar(32)',
      '  phone           String?     @db.VarChar(32)\n  nickname        String?',
    );
    expect(await schemaDrift(edited, connection)).toEqual(['column User.nickname: in schema.prisma, not in the database']);
  });

  it('notices a changed type, nullability, enum value, unique and foreign key rule', async () => {
    const edited = datamodel
      .replace('name            String      @db.VarChar(100)', 'name            String?     @db.VarChar(120)')
      .replace('  SOLD\n}', '  SOLD\n  REFUNDED\n}')
      .replace('@@unique([eventId, name])', '@@index([eventId, name])')
      .replace(
        'user       User      @relation(fields: [userId], references: [id], onDelete: Cascade)\n  userAgent',
        'user       User      @relation(fields: [userId], references: [id], onDelete: Restrict)\n  userAgent',
      );
    const problems = await schemaDrift(edited, connection);
    expect(problems).toEqual(
      expect.arrayContaining([
        'column User.name: schema.prisma says varchar(120) null, the database has varchar(100) not null',
        'enum SeatStatus.REFUNDED: in schema.prisma, not in the database',
        'unique PriceTier(eventId,name): in the database, not in schema.prisma',
        'index PriceTier(eventId,name): in schema.prisma, not in the database',
        'foreign key Session(userId) -> User(id) on delete RESTRICT: in schema.prisma, not in the database',
      ]),
    );
  });

  it('notices a database changed behind the migrations back', async () => {
    await connection.exec('BEGIN');
    try {
      await connection.exec('ALTER TABLE "AuthEvent" ALTER COLUMN "type" DROP NOT NULL; ALTER TABLE "AuthEvent" ADD COLUMN "extra" integer');
      expect(await schemaDrift(datamodel, connection)).toEqual([
        'column AuthEvent.extra: in the database, not in schema.prisma',
        'column AuthEvent.type: schema.prisma says varchar(40) not null, the database has varchar(40) null',
      ]);
    } finally {
      await connection.exec('ROLLBACK');
    }
    expect(await schemaDrift(datamodel, connection)).toEqual([]);
  });

  it('keeps the invariants the database enforces in SQL', async () => {
    const constraints = await connection.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE contype = 'c' ORDER BY conname`);
    expect(constraints.map((c) => c.name)).toEqual(
      expect.arrayContaining(['Ticket_status_check', 'Ticket_seatNumber_check', 'PriceTier_price_check', 'Order_amounts_check']),
    );
  });
});
