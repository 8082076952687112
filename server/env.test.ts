import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './env.js';

const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-env-'));

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'pglite', dir: path.join(dir, 'pglite') },
      bcryptCost: 12,
      holdMinutes: 10,
      authRateLimitPerMinute: 10,
      seedDemo: true,
      redisUrl: null,
      mailDir: path.join(dir, 'mail'),
      appOrigin: 'http://127.0.0.1:3000',
    });
  });

  it.each([
    ['pglite:memory', { kind: 'pglite', dir: null }],
    ['postgres://u@h:5432/db', { kind: 'postgresql', url: 'postgres://u@h:5432/db', poolSize: 20 }],
    ['postgresql://u@h/db', { kind: 'postgresql', url: 'postgresql://u@h/db', poolSize: 20 }],
  ])('reads DATABASE_URL=%s', (url, expected) => {
    const config = loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: url });
    expect(config.database).toEqual(expected);
    expect(config.seedDemo).toBe(false);
  });

  it('reads DATABASE_POOL_SIZE, and refuses a pool of none', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'postgresql://u@h/db', DATABASE_POOL_SIZE: '40' }).database).toMatchObject({
      poolSize: 40,
    });
    expect(() => loadConfig({ DATA_DIR: dataDir(), DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('reads METRICS_TOKEN and OVERLOAD_MAX_EVENT_LOOP_DELAY_MS, and refuses a short token or a negative delay', () => {
    const config = loadConfig({ DATA_DIR: dataDir(), METRICS_TOKEN: 'm'.repeat(16), OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0' });
    expect(config).toMatchObject({ metricsToken: 'm'.repeat(16), overloadMaxEventLoopDelayMs: 0 });
    expect(loadConfig({ DATA_DIR: dataDir() })).toMatchObject({
      metricsToken: null,
      overloadMaxEventLoopDelayMs: 500,
      overloadLargeBodyBytesPerSecond: 4 * 1024 * 1024,
    });
    expect(() => loadConfig({ DATA_DIR: dataDir(), METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ DATA_DIR: dataDir(), OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '-5' })).toThrow(/OVERLOAD_MAX_EVENT_LOOP_DELAY_MS/);
  });

  it('reads BANK_TRANSFER_DETAILS for the pay-later mail (empty by default), and refuses more than 500 characters', () => {
    expect(loadConfig({ DATA_DIR: dataDir() }).bankTransferDetails).toBe('');
    expect(loadConfig({ DATA_DIR: dataDir(), BANK_TRANSFER_DETAILS: ' Tessera Ltd · IBAN GB33 BUKB 2020 1555 5555 55 ' }).bankTransferDetails).toBe(
      'Tessera Ltd · IBAN GB33 BUKB 2020 1555 5555 55',
    );
    expect(() => loadConfig({ DATA_DIR: dataDir(), BANK_TRANSFER_DETAILS: 'x'.repeat(501) })).toThrow(/BANK_TRANSFER_DETAILS/);
  });

  it('reads pglite:<dir> as that folder', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'pglite:/tmp/x' }).database).toEqual({ kind: 'pglite', dir: '/tmp/x' });
  });

  it('takes HOLD_MINUTES as a decimal number', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), HOLD_MINUTES: '0.05' }).holdMinutes).toBe(0.05);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['BCRYPT_COST', '3'],
    ['HOLD_MINUTES', '-1'],
    ['HOLD_MINUTES', 'ten'],
    ['AUTH_RATE_LIMIT_PER_MINUTE', '0'],
    ['REDIS_URL', 'localhost:6379'],
    ['APP_ORIGIN', 'not a url'],
    ['SEED_DEMO', 'maybe'],
    ['JWT_SECRET', 'short'],
  ])('refuses %s=%s with one line naming the variable', (name, value) => {
    const run = () => loadConfig({ DATA_DIR: dataDir(), [name]: value });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(new RegExp(`^Invalid setting ${name}: .+ \\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)$`));
  });

  it('requires a JWT_SECRET of at least 32 characters in production', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), NODE_ENV: 'production', MFA_ENCRYPTION_KEY: 'a'.repeat(64) })).toThrow(
      /^Invalid setting JWT_SECRET: required in production/,
    );
    const config = loadConfig({
      DATA_DIR: dataDir(),
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      MFA_ENCRYPTION_KEY: 'a'.repeat(64),
    });
    expect(config.secureCookies).toBe(true);
  });

  it('generates a development secret once and keeps it in the data folder', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).jwtSecret).toBe(first);
    expect(fs.readFileSync(path.join(dir, 'jwt-secret'), 'utf8')).toBe(first);
    expect(loadConfig({ DATA_DIR: dataDir() }).jwtSecret).not.toBe(first);
  });

  it('needs ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAIL: 'a@example.com' })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ DATA_DIR: dataDir(), ADMIN_EMAIL: 'A@Example.com', ADMIN_PASSWORD: 'longenough1' }).admin).toEqual({
      email: 'a@example.com',
      password: 'longenough1',
    });
  });
});
