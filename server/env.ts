import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Every setting (README, "Settings"), parsed once. Nothing else reads process.env. */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, `expected a whole number from ${min} to ${max}`).max(max, `expected a whole number from ${min} to ${max}`));

const databaseUrl = z.string().refine((v) => v === 'pglite:memory' || /^pglite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
  message: 'expected postgres://..., postgresql://..., pglite:memory or pglite:<dir>',
});

const origin = z
  .url({ protocol: /^https?$/, message: 'expected an http(s) origin such as https://tickets.example.com' })
  .transform((v) => new URL(v).origin);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: databaseUrl.optional(),
  DATABASE_POOL_SIZE: int(1, 500).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, { message: 'expected redis://host:port' })
    .optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BCRYPT_COST: int(4, 15).default(12),
  HOLD_MINUTES: z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'expected a positive number of minutes, such as 10 or 0.05' })
    .transform(Number)
    .pipe(
      z
        .number()
        .positive('expected a positive number of minutes')
        .max(24 * 60, 'at most one day'),
    )
    .default(10),
  AUTH_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(10),
  ADMIN_EMAIL: z.email({ message: 'expected an email address' }).optional(),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(72).optional(),
  SEED_DEMO: bool.optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, { message: 'expected smtp://user:pass@host:port' })
    .optional(),
  MAIL_DIR: z.string().min(1).optional(),
  APP_ORIGIN: origin.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SWEEP_INTERVAL_SECONDS: int(1, 86_400).default(30),
  MFA_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, { message: 'expected 64 hex characters (32 bytes)' })
    .optional(),
  TRUST_PROXY: bool.default(false),
  OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: int(0, 60_000).default(500),
  OVERLOAD_LARGE_BODY_BYTES_PER_SECOND: int(0, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  TIME_ZONE: z
    .string()
    .refine((zone) => isTimeZone(zone), { message: 'expected an IANA time zone such as Europe/London or America/New_York' })
    .default('UTC'),
  BANK_TRANSFER_DETAILS: z.string().trim().max(500, 'at most 500 characters').default(''),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type Config = {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: { kind: 'pglite'; dir: string | null } | { kind: 'postgresql'; url: string; poolSize: number };
  redisUrl: string | null;
  jwtSecret: string;
  bcryptCost: number;
  holdMinutes: number;
  authRateLimitPerMinute: number;
  admin: { email: string; password: string } | null;
  seedDemo: boolean;
  smtpUrl: string | null;
  mailDir: string;
  appOrigin: string;
  dataDir: string;
  logLevel: string;
  sweepIntervalSeconds: number;
  mfaEncryptionKey: string;
  trustProxy: boolean;
  /** Shed load (503) while the event loop lags more than this; 0: never. */
  overloadMaxEventLoopDelayMs: number;
  /** Large request bodies (over 64 KiB) admitted per second, in bytes; beyond it they get 503. 0: no bound. */
  overloadLargeBodyBytesPerSecond: number;
  /** Bearer token that /metrics asks for; null: /metrics is off (404). */
  metricsToken: string | null;
  /** Secure cookies with the __Host- prefix. */
  secureCookies: boolean;
  /** The zone event times are written in where no browser shows them (mail, PDF tickets). */
  timeZone: string;
  /** Where shoppers paying by bank transfer send the money (account holder, IBAN, BIC), for their mail; '' when not set. */
  bankTransferDetails: string;
};

/** PostgreSQL connections per instance when DATABASE_POOL_SIZE is not set (measured: bench/README.md). */
export const DEFAULT_POOL_SIZE = 20;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A secret kept in the data folder so development restarts keep sessions and encrypted data. */
function devSecret(dataDir: string, file: string, make: () => string): string {
  const target = path.join(dataDir, file);
  try {
    return fs.readFileSync(target, 'utf8').trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const value = make();
    fs.writeFileSync(target, value, { mode: 0o600, flag: 'wx' });
    return value;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as they do in most .env tooling.
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`Invalid setting ${name}: ${issue.message} (got ${JSON.stringify(env[name])})`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const dataDir = path.resolve(e.DATA_DIR);

  if (production && !e.JWT_SECRET) {
    throw new ConfigError('Invalid setting JWT_SECRET: required in production (at least 32 characters)');
  }
  if (production && !e.MFA_ENCRYPTION_KEY) {
    throw new ConfigError('Invalid setting MFA_ENCRYPTION_KEY: required in production (64 hex characters)');
  }
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError('Invalid setting ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD go together');
  }

  const url = e.DATABASE_URL;
  const database: Config['database'] =
    url === undefined
      ? { kind: 'pglite', dir: path.join(dataDir, 'pglite') }
      : url === 'pglite:memory'
        ? { kind: 'pglite', dir: null }
        : url.startsWith('pglite:')
          ? { kind: 'pglite', dir: path.resolve(url.slice('pglite:'.length)) }
          : { kind: 'postgresql', url, poolSize: e.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZE };

  const port = e.PORT;
  return {
    nodeEnv: e.NODE_ENV,
    port,
    host: e.HOST,
    database,
    redisUrl: e.REDIS_URL ?? null,
    jwtSecret: e.JWT_SECRET ?? devSecret(dataDir, 'jwt-secret', () => crypto.randomBytes(48).toString('base64url')),
    bcryptCost: e.BCRYPT_COST,
    holdMinutes: e.HOLD_MINUTES,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : null,
    // Demo data only goes into the embedded default database unless asked for explicitly.
    seedDemo: e.SEED_DEMO ?? url === undefined,
    smtpUrl: e.SMTP_URL ?? null,
    mailDir: path.resolve(e.MAIL_DIR ?? path.join(dataDir, 'mail')),
    appOrigin: e.APP_ORIGIN ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${port}`,
    dataDir,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    sweepIntervalSeconds: e.SWEEP_INTERVAL_SECONDS,
    mfaEncryptionKey: e.MFA_ENCRYPTION_KEY ?? devSecret(dataDir, 'mfa-key', () => crypto.randomBytes(32).toString('hex')),
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN ?? null,
    overloadMaxEventLoopDelayMs: e.OVERLOAD_MAX_EVENT_LOOP_DELAY_MS,
    overloadLargeBodyBytesPerSecond: e.OVERLOAD_LARGE_BODY_BYTES_PER_SECOND,
    secureCookies: production,
    timeZone: e.TIME_ZONE,
    bankTransferDetails: e.BANK_TRANSFER_DETAILS,
  };
}
