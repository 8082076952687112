import type { MfaChallenge } from '../../../shared/auth.js';
import { verifyPassword } from '../../lib/passwords.js';
import { checkSecondStep, startMfaChallenge } from '../lifecycle/mfa.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from '../users/user-select.js';
import type { AuthDeps } from './auth-deps.js';
import { oneMoreFailure, retryAfterSeconds } from './login-throttle.js';
import { startSession, type SessionTokens } from './start-session.js';

const INVALID = 'Invalid email or password';

const accountSelect = { ...userSelect, passwordHash: true, failedLogins: true, lastFailedAt: true } as const;

interface Account {
  id: string;
  email: string;
  passwordHash: string;
  failedLogins: number;
  lastFailedAt: Date | null;
}

export function tooManyFailures(seconds: number): AppError {
  return new AppError('TOO_MANY_REQUESTS', `Too many failed attempts for this account. Try again in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });
}

/**
 * Checks a password against an account (or, with none, against a dummy hash in the same time),
 * under the per-account slow-down: a throttled account is refused before any comparison, a wrong
 * password counts as a failure, a right one clears the count. Failures are audited by the caller.
 */
export async function checkAccountPassword(deps: AuthDeps, account: Account | null, password: string): Promise<'ok' | 'wrong'> {
  if (account) {
    const wait = retryAfterSeconds(account);
    if (wait > 0) throw tooManyFailures(wait);
  }
  const ok = await verifyPassword(password, account?.passwordHash ?? null, deps.config.bcryptCost);
  if (!account) return 'wrong';
  if (!ok) {
    await deps.db.user.update({ where: { id: account.id }, data: oneMoreFailure(account), select: { id: true } });
    return 'wrong';
  }
  if (account.failedLogins > 0) {
    await deps.db.user.update({ where: { id: account.id }, data: { failedLogins: 0, lastFailedAt: null }, select: { id: true } });
  }
  return 'ok';
}

/** The account behind an email and password, or UNAUTHORIZED "Invalid email or password" (same words and time for unknown emails). */
export async function verifyCredentials(deps: AuthDeps, email: string, password: string, meta: RequestMeta): Promise<UserRow> {
  const address = email.trim().toLowerCase();
  const account = await deps.db.user.findUnique({ where: { email: address }, select: accountSelect });
  let outcome: 'ok' | 'wrong';
  try {
    outcome = await checkAccountPassword(deps, account, password);
  } catch (error) {
    if (error instanceof AppError) {
      await recordAuthEvent(deps.db, { type: 'login_failed', userId: account?.id, email: address, detail: { reason: 'throttled' } }, meta);
    }
    throw error;
  }
  if (outcome === 'wrong') {
    const reason = account ? 'wrong_password' : 'unknown_email';
    await recordAuthEvent(deps.db, { type: 'login_failed', userId: account?.id ?? null, email: address, detail: { reason } }, meta);
    throw new AppError('UNAUTHORIZED', INVALID);
  }
  const { passwordHash: _hash, failedLogins: _failed, lastFailedAt: _last, ...user } = account!;
  return user;
}

export interface SignedIn {
  user: UserRow;
  tokens: SessionTokens;
}

/**
 * `auth.login`: email and password -> a new session, or, for an account with two-factor sign-in,
 * a short-lived ticket for the second step (`auth.verifyMfa`).
 */
export async function signIn(deps: AuthDeps, input: { email: string; password: string }, meta: RequestMeta): Promise<SignedIn | MfaChallenge> {
  const user = await verifyCredentials(deps, input.email, input.password, meta);
  if (user.mfaEnabledAt) return startMfaChallenge(deps, user.id);
  return openSession(deps, user, meta, { type: 'login', detail: { via: 'login' } });
}

/** `auth.token`: scripts send the second factor with the password (`code`), in one call. */
export async function signInForToken(
  deps: AuthDeps,
  input: { email: string; password: string; code?: string },
  meta: RequestMeta,
): Promise<SignedIn> {
  const user = await verifyCredentials(deps, input.email, input.password, meta);
  if (user.mfaEnabledAt) await checkSecondStep(deps, user.id, input.code, meta);
  return openSession(deps, user, meta, { type: 'login', detail: { via: 'token' } });
}

/** Starts a session for an already verified user and records it (login, or the MFA step later). */
export async function openSession(
  deps: AuthDeps,
  user: UserRow,
  meta: RequestMeta,
  audit: { type: string; detail?: Record<string, string> },
): Promise<SignedIn> {
  return deps.db.$transaction(async (tx) => {
    const tokens = await startSession(tx, deps.config, user, meta);
    await recordAuthEvent(tx, { type: audit.type, userId: user.id, email: user.email, detail: { sessionId: tokens.sessionId, ...audit.detail } }, meta);
    return { user, tokens };
  });
}
