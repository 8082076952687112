import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.js';
import { AppError } from '../services/errors.js';
import { transact } from './transact.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const raise = (state: string) => `DO $$ BEGIN RAISE EXCEPTION 'simulated' USING ERRCODE = '${state}'; END $$`;

describe('transact', () => {
  it('runs 100 concurrent interactive transactions that wait on one lock without a single failure', async () => {
    let inside = 0;
    let most = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        transact(db, async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(4199, 1)`;
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 15));
          inside--;
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(most).toBe(1);
  });

  it('retries a deadlock or serialization failure inside, invisibly to the caller', async () => {
    for (const state of ['40P01', '40001']) {
      let attempts = 0;
      const value = await transact(db, async (tx) => {
        attempts++;
        if (attempts < 3) await tx.$executeRawUnsafe(raise(state));
        return 'done';
      });
      expect({ state, value, attempts }).toEqual({ state, value: 'done', attempts: 3 });
    }
  });

  it('a failure that persists becomes a CONFLICT to retry, never a raw database error', async () => {
    let attempts = 0;
    const error = await transact(db, async (tx) => {
      attempts++;
      await tx.$executeRawUnsafe(raise('40P01'));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFLICT');
    expect(attempts).toBe(6);
  });

  it('does not retry other errors', async () => {
    let attempts = 0;
    await expect(
      transact(db, async (tx) => {
        attempts++;
        await tx.$executeRawUnsafe(raise('23514'));
      }),
    ).rejects.toThrow();
    expect(attempts).toBe(1);
  });
});
