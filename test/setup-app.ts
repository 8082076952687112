import crypto from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Role, StaffStatus } from '../server/generated/prisma/enums.js';
import type { AuthUser } from '../server/trpc/context.js';
import { startTestApp, type TestApp } from './app.js';
import { createUser } from './users.js';

/** A user to make: a role (staff and admins approved), or a role and staff status. */
export type UserSpec = Role | readonly [Role, StaffStatus];

/**
 * The app for one test file, with its users: started in beforeAll, the users then made in the
 * order given (by `createUser`), and closed in afterAll.
 *
 *   const { t, users: [alice, staff] } = setupTestApp(['CUSTOMER', 'STAFF']);
 *
 * `t` and the users are only filled in by beforeAll: read them inside tests and hooks, not while
 * the file's tests are being collected.
 */
export function setupTestApp<const U extends readonly UserSpec[]>(
  specs: U,
  options?: Parameters<typeof startTestApp>[0],
): { t: TestApp; users: { [K in keyof U]: AuthUser } } {
  let started: TestApp | undefined;
  const app = (): TestApp => {
    if (!started) throw new Error('The test app starts in beforeAll; use it inside tests and hooks.');
    return started;
  };
  const t: TestApp = {
    get app() {
      return app().app;
    },
    get db() {
      return app().db;
    },
    get config() {
      return app().config;
    },
    get url() {
      return app().url;
    },
    get logs() {
      return app().logs;
    },
    close: () => app().close(),
  };
  // Each user is a placeholder here, filled in once the app runs, so tests keep plain names for them.
  const users = specs.map(() => ({}) as AuthUser);

  beforeAll(async () => {
    started = await startTestApp(options);
    for (const [i, spec] of specs.entries()) {
      const [role, staffStatus] = typeof spec === 'string' ? [spec] : spec;
      // Staff and admins are approved unless the spec says otherwise.
      const user = await createUser(started, { role, staffStatus: staffStatus ?? (role === 'CUSTOMER' ? 'NONE' : 'APPROVED') });
      Object.assign(users[i]!, { id: user.id, role: user.role, staffStatus: user.staffStatus, sessionId: crypto.randomUUID() });
    }
  });
  afterAll(() => started?.close());

  return { t, users: users as { [K in keyof U]: AuthUser } };
}
