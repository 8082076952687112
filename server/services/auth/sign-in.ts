import type { MfaChallenge } from '../../../shared/auth.js';
import { verifyPassword } from '../../lib/passwords.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { checkSecondStep, startMfaChallenge } from '../lifecycle/mfa.js';
import { userSelect, type UserRow } from '../users/user-select.js';
import type { AuthDeps } from './auth-deps.js';
import { beginPasswordAttempt } from './sign-in-throttle.js';
import { startSession, type SessionTokens } from './start-session.js';

const INVALID = 'Invalid email or password';

/**
 * Checks a password for an account, counted by the sign-in throttle before the comparison. An
 * unknown address is compared against a dummy hash, counted and audited the same way, so it gets
 * the same answers in the same time. Returns null for a wrong password or an unknown address.
 */
export async function checkPassword(
  deps: AuthDeps,
  email: string,
  password: string,
  meta: RequestMeta,
  audit: { failure: string },
): Promise<UserRow | null> {
  const address = email.trim().toLowerCase();
  const [attempt, account] = await Promise.all([
    beginPasswordAttempt(deps, address, meta),
    deps.db.user.findUnique({ where: { email: address }, select: { ...userSelect, passwordHash: true } }),
  ]);
  const ok = await verifyPassword(password, account?.passwordHash ?? null, deps.config.bcryptCost);
  if (!account || !ok) {
    const reason = account ? 'wrong_password' : 'unknown_email';
    await recordAuthEvent(deps.db, { type: audit.failure, userId: account?.id ?? null, email: address, detail: { reason } }, meta);
    return null;
  }
  await attempt.succeeded();
  const { passwordHash: _hash, ...user } = account;
  return user;
}

/** The account behind an email and password, or UNAUTHORIZED "Invalid email or password" (same words and time for unknown emails). */
export async function verifyCredentials(deps: AuthDeps, email: string, password: string, meta: RequestMeta): Promise<UserRow> {
  const user = await checkPassword(deps, email, password, meta, { failure: 'login_failed' });
  if (!user) throw new AppError('INVALID_CREDENTIALS', INVALID);
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
  if (user.mfaEnabledAt) await checkSecondStep(deps, user, input.code, meta);
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
    await recordAuthEvent(
      tx,
      { type: audit.type, userId: user.id, email: user.email, detail: { sessionId: tokens.sessionId, ...audit.detail } },
      meta,
    );
    return { user, tokens };
  });
}
