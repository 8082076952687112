import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callerFor, startTestApp, type TestApp } from '../../test/app.js';
import { fromSchema, typedHostile, validFor, type JsonSchema } from '../../test/arbitraries.js';
import { createEventWithSeats, seats } from '../../test/inventory-fixtures.js';
import { authUserFor, createUser, signIn } from '../../test/users.js';
import { appRouter } from './router.js';

/**
 * Every procedure, called over real HTTP by a signed-in admin (who may call them all) with inputs
 * generated from its own zod schema and mixed with hostile values: no answer is a 5xx, none leaks
 * internals, and a refused call (4xx) changes nothing. The seed is fixed so CI runs the same cases;
 * FC_RUNS=200 FC_SEED=<n> runs more, or others, locally.
 */
const RUNS = Number(process.env.FC_RUNS ?? 15);
const SEED = Number(process.env.FC_SEED ?? 20261201);

interface ProcedureDef {
  type: 'query' | 'mutation';
  inputs: unknown[];
}
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, { _def: ProcedureDef }> }).procedures).map(
  ([name, procedure]) => ({ name, type: procedure._def.type, inputs: procedure._def.inputs }),
);

function schemaOf(inputs: unknown[]): JsonSchema | null {
  if (inputs.length === 0) return null;
  const schemas = inputs.map((input) => z.toJSONSchema(input as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
  return schemas.length === 1 ? schemas[0]! : { allOf: schemas };
}

let t: TestApp;
let ids: string[];
beforeAll(async () => {
  t = await startTestApp();
  const customer = await createUser(t);
  const { eventId } = await createEventWithSeats(t.db);
  const order = await callerFor(t.app, await authUserFor(t, customer.id)).tickets.purchase({
    eventId,
    seats: seats('A1', 'A2'),
    idempotencyKey: crypto.randomUUID(),
  });
  ids = [eventId, customer.id, order.id];
});
afterAll(() => t.close());

/** What a refused call must leave as it was (the audit log and sign-in counters may grow: they record the refusal). */
async function fingerprint(): Promise<string> {
  const [row] = await t.db.query<Record<string, unknown>>(`
    SELECT
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, email, name, phone, "avatarUrl", "passwordHash", role, "staffStatus", "pendingEmail", "mfaSecret", "mfaEnabledAt"), ',' ORDER BY id), '')) FROM "User") AS users,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, "revokedAt"), ',' ORDER BY id), '')) FROM "Session") AS sessions,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, description, venue, "startsAt", "endsAt", status), ',' ORDER BY id), '')) FROM "Event") AS events,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, name, "priceCents", currency), ',' ORDER BY id), '')) FROM "PriceTier") AS tiers,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, "minQuantity", "percentOff"), ',' ORDER BY id), '')) FROM "GroupDiscount") AS discounts,
      (SELECT md5(coalesce(string_agg(concat_ws('|', "eventId", "rowName", "seatNumber", status, "holdId", "orderId", "tierId"), ',' ORDER BY "eventId", "rowName", "seatNumber"), '')) FROM "Ticket") AS seats,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, status, "totalCents"), ',' ORDER BY id), '')) FROM "Order") AS orders,
      (SELECT md5(coalesce(string_agg(concat_ws('|', id, status, "checkedInAt"), ',' ORDER BY id), '')) FROM "IssuedTicket") AS issued,
      (SELECT count(*) FROM "Avatar") AS avatars`);
  return JSON.stringify(row);
}

async function call(name: string, type: 'query' | 'mutation', input: unknown, token: string): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let res: Response;
  if (type === 'query') {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    res = await fetch(`${t.url}/trpc/${name}${query}`, { headers });
  } else {
    res = await fetch(`${t.url}/trpc/${name}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: input === undefined ? '{}' : JSON.stringify(input),
    });
  }
  return { status: res.status, text: await res.text() };
}

describe('every procedure, with generated and hostile input', () => {
  it('covers the whole router', () => {
    expect(procedures.length).toBeGreaterThan(40);
  });

  it.each(procedures.map((p, i) => [p.name, p, i] as const))(
    '%s: never a 5xx, never internals, and a refusal changes nothing',
    async (_name, procedure, index) => {
      // A fresh admin per procedure: a call may end its sessions or change its role.
      const admin = await createUser(t, { role: 'ADMIN' });
      let token = (await signIn(t, admin.email, admin.password)).accessToken;
      const schema = schemaOf(procedure.inputs);
      const input = schema ? fromSchema(schema, { ids: [...ids, admin.id] }) : fc.constantFrom<unknown>(undefined, {}, null, 'x', { extra: 1 });
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const before = await fingerprint();
          const res = await call(procedure.name, procedure.type, value, token);
          expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
          expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|SELECT |prisma\.|PrismaClient|\$2[aby]\$/);
          if (res.status >= 400) expect(await fingerprint()).toBe(before);
          if (res.status === 401) token = (await signIn(t, admin.email, admin.password)).accessToken;
        }),
        { numRuns: RUNS, seed: SEED + index, endOnFailure: true },
      );

      // Then each top-level field in turn gets each hostile value of its type, the rest well-formed.
      const fields = Object.entries(schema?.properties ?? {});
      if (!schema || fields.length === 0) return;
      const [base] = fc.sample(validFor(schema, { ids: [...ids, admin.id] }), { seed: SEED + index, numRuns: 1 }) as [Record<string, unknown>];
      for (const [field, fieldSchema] of fields) {
        const hostile = typedHostile(fieldSchema);
        if (!hostile) continue;
        for (const value of fc.sample(hostile, { seed: SEED, numRuns: 8 })) {
          const before = await fingerprint();
          const res = await call(procedure.name, procedure.type, { ...base, [field]: value }, token);
          const what = `${field} = ${JSON.stringify(value).slice(0, 80)}`;
          expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) expect(await fingerprint(), what).toBe(before);
          if (res.status === 401) token = (await signIn(t, admin.email, admin.password)).accessToken;
        }
      }
    },
  );
});
