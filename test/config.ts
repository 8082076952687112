import path from 'node:path';
import type { Config } from '../server/env.js';

/** Settings for tests (and benchmarks): in-memory database, cheap bcrypt, fixed secrets, no files written. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    nodeEnv: 'test',
    port: 0,
    host: '127.0.0.1',
    database: { kind: 'pglite', dir: null },
    redisUrl: null,
    jwtSecret: 'test-secret-test-secret-test-secret-0123456789',
    bcryptCost: 4,
    holdMinutes: 10,
    authRateLimitPerMinute: 1000,
    admin: null,
    seedDemo: false,
    smtpUrl: null,
    mailDir: path.join(process.cwd(), '.data', 'test-mail'),
    appOrigin: 'http://127.0.0.1:3000',
    dataDir: path.join(process.cwd(), '.data', 'test'),
    logLevel: 'silent',
    sweepIntervalSeconds: 30,
    mfaEncryptionKey: '0'.repeat(64),
    trustProxy: false,
    metricsToken: null,
    // Shared CI machines lag, and tests upload back to back; tests that shed load set their own limits.
    overloadMaxEventLoopDelayMs: 0,
    overloadLargeBodyBytesPerSecond: 0,
    secureCookies: false,
    timeZone: 'Europe/London',
    bankTransferDetails: 'Tessera Events Ltd · IBAN GB33 BUKB 2020 1555 5555 55 · BIC BUKBGB22',
    ...overrides,
  };
}
