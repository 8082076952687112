import bcrypt from 'bcrypt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.js';
import { callHttp } from '../../../test/users.js';
import { ConfigError } from '../../env.js';
import { testConfig } from '../../../test/config.js';
import { startServer } from '../../main.js';
import { ensureAdmin } from './ensure-admin.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const withAdmin = (email: string, password: string) => testConfig({ admin: { email, password } });

describe('ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  it('creates that admin once, verified and audited', async () => {
    const config = withAdmin('root@example.com', 'a long admin passphrase');
    expect(await ensureAdmin({ db: db.prisma, config })).toBe('created');
    expect(await ensureAdmin({ db: db.prisma, config })).toBe('unchanged');
    const admin = await db.prisma.user.findUniqueOrThrow({ where: { email: 'root@example.com' } });
    expect(admin).toMatchObject({ role: 'ADMIN', staffStatus: 'NONE' });
    expect(admin.emailVerifiedAt).not.toBeNull();
    expect(await bcrypt.compare('a long admin passphrase', admin.passwordHash)).toBe(true);
    expect(await db.prisma.authEvent.count({ where: { type: 'admin_bootstrap', userId: admin.id } })).toBe(1);
  });

  it('promotes an existing account and leaves its password alone', async () => {
    const hash = await bcrypt.hash('their own passphrase', 4);
    await db.prisma.user.create({ data: { email: 'promote.me@example.com', name: 'P', passwordHash: hash, role: 'STAFF', staffStatus: 'PENDING' } });
    expect(await ensureAdmin({ db: db.prisma, config: withAdmin('promote.me@example.com', 'a long admin passphrase') })).toBe('promoted');
    expect(await db.prisma.user.findUniqueOrThrow({ where: { email: 'promote.me@example.com' } })).toMatchObject({
      role: 'ADMIN',
      staffStatus: 'NONE',
      passwordHash: hash,
    });
  });

  it('a password the policy refuses stops start-up with a ConfigError; no setting, nothing happens', async () => {
    await expect(ensureAdmin({ db: db.prisma, config: withAdmin('weak@example.com', 'password123') })).rejects.toThrow(ConfigError);
    await expect(ensureAdmin({ db: db.prisma, config: withAdmin('weak@example.com', 'password123') })).rejects.toThrow(
      /Invalid setting ADMIN_PASSWORD: .*too common/,
    );
    expect(await db.prisma.user.count({ where: { email: 'weak@example.com' } })).toBe(0);
    expect(await ensureAdmin({ db: db.prisma, config: testConfig() })).toBe('none');
  });

  it('startServer creates the admin before serving, who can then sign in', async () => {
    const server = await startServer(testConfig({ admin: { email: 'boot@example.com', password: 'a long admin passphrase' } }));
    try {
      const address = server.app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const res = await callHttp({ url }, 'auth.login', { input: { email: 'boot@example.com', password: 'a long admin passphrase' } });
      expect(res.body.result.data.user).toMatchObject({ email: 'boot@example.com', role: 'ADMIN' });
    } finally {
      await server.stop();
    }
  });
});
