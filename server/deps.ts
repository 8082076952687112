import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Database, Db } from './db/database.js';
import type { Config } from './env.js';
import type { Mailer } from './lib/mail.js';
import type { Revocations } from './lib/revocations.js';
import type { AuthUser } from './trpc/context.js';

/** What every procedure may use; built once per app by buildApp (tests build their own). */
export interface AppDeps {
  config: Config;
  database: Database;
  db: Db;
  log: FastifyBaseLogger;
  /** Who is calling: from the access-token cookie or the Bearer header; null when anonymous. */
  authenticate(req: FastifyRequest): Promise<{ user: AuthUser; via: 'cookie' | 'bearer' } | null>;
  /** Revoked sessions, shared by every instance through Redis when REDIS_URL is set. */
  revocations: Revocations;
  /** Outgoing mail: SMTP when SMTP_URL is set, else .eml files in MAIL_DIR. */
  mailer: Mailer;
  /** True for a cookie-carrying request from another site (CSRF guard for mutations). */
  isCrossSite(req: FastifyRequest): boolean;
}
