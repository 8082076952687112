import crypto from 'node:crypto';
import { escapeHtml } from '../../lib/mail.js';
import type { CounterStep, HitResult } from '../../lib/counters.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { issueOneTimeToken } from '../lifecycle/one-time-tokens.js';
import type { AuthDeps } from './auth-deps.js';

/**
 * How Tessera throttles sign-in (the README's "Sign-in defences" section says the same in prose).
 * Every attempt is counted before anything is compared, atomically, so parallel attempts cannot
 * slip past a stale count; a success gives its attempt back. All counters are fixed windows.
 *
 * - address: every client address may have AUTH_RATE_LIMIT_PER_MINUTE failed (or in-flight)
 *   sign-in attempts a minute, across all accounts (credential stuffing).
 * - account x address: 5 failures of one email from one address close that pair for 15 minutes.
 *   The owner signing in from anywhere else is not held back by a stranger's guesses.
 * - account: 50 failures of one email from all addresses in an hour (distributed guessing) close
 *   password sign-in for that email until the hour ends or the owner follows the link mailed to
 *   them (or resets the password).
 * - second factor: a sign-in challenge dies after 5 wrong codes; 10 wrong codes for one account in
 *   15 minutes lock its second step for the rest of the window and mail the owner. A right password
 *   never clears it.
 *
 * Counters are keyed by the email as typed (normalised), never by whether it has an account, so
 * unknown addresses get the same answers at the same counts.
 */
export const LIMITS = {
  pair: { max: 5, windowMs: 15 * 60_000 },
  account: { max: 50, windowMs: 60 * 60_000 },
  secondFactor: { max: 10, windowMs: 15 * 60_000 },
  /** Wrong codes one sign-in challenge (mfaToken) survives. */
  challenge: 5,
  /** Email-change requests per account (each may send mail). */
  emailChange: { max: 3, windowMs: 60 * 60_000 },
  /** Password-reset mails to one address. */
  resetMail: { max: 3, windowMs: 60 * 60_000 },
} as const;

const ADDRESS_WINDOW_MS = 60_000;

/** Emails are hashed in keys: Redis and the counter table hold no addresses. */
const hashed = (email: string) => crypto.createHash('sha256').update(email).digest('base64url').slice(0, 27);

export const counterKeys = {
  address: (ip: string | null) => `addr:${ip ?? 'unknown'}`,
  pair: (email: string, ip: string | null) => `pair:${hashed(email)}:${ip ?? 'unknown'}`,
  account: (email: string) => `acct:${hashed(email)}`,
  secondFactor: (userId: string) => `mfa:${userId}`,
  emailChange: (userId: string) => `email-change:${userId}`,
  resetMail: (email: string) => `reset-mail:${hashed(email)}`,
};

export function tooManyAttempts(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError('TOO_MANY_ATTEMPTS', `Too many attempts. Try again in ${seconds} seconds.`, { retryAfterSeconds: seconds });
}

function addressStep(deps: AuthDeps, ip: string | null): CounterStep {
  return { key: counterKeys.address(ip), max: deps.config.authRateLimitPerMinute, windowMs: ADDRESS_WINDOW_MS };
}

/** The first refusal of a window (the count just went one over): the moment to audit or mail, once. */
const firstRefusal = (result: Extract<HitResult, { ok: false }>, step: CounterStep) => result.count === step.max + 1;

export interface Attempt {
  /** The attempt succeeded: it does not count against anyone. */
  succeeded(): Promise<void>;
}

/**
 * A call that is limited per client address and always counts (registration, password-reset
 * requests, turning two-factor on or off): AUTH_RATE_LIMIT_PER_MINUTE a minute.
 */
export async function countAddressCall(deps: AuthDeps, ip: string | null): Promise<void> {
  const result = await deps.counters.hit([addressStep(deps, ip)]);
  if (!result.ok) throw tooManyAttempts(result.retryAfterMs);
}

/** Counts a password attempt for `email` before the password is compared; throws 429 when a limit is reached. */
export async function beginPasswordAttempt(deps: AuthDeps, email: string, meta: RequestMeta): Promise<Attempt> {
  const steps = [
    addressStep(deps, meta.ip),
    { key: counterKeys.pair(email, meta.ip), ...LIMITS.pair },
    { key: counterKeys.account(email), ...LIMITS.account },
  ];
  const result = await deps.counters.hit(steps);
  if (!result.ok) {
    const step = steps[result.index]!;
    if (firstRefusal(result, step)) {
      const limit = (['address', 'account_address', 'account'] as const)[result.index]!;
      deps.background.run('auditing a sign-in throttle', async () => {
        const user = await deps.db.user.findUnique({ where: { email }, select: { id: true } });
        await recordAuthEvent(deps.db, { type: 'login_throttled', userId: user?.id ?? null, email, detail: { limit } }, meta);
        if (limit === 'account' && user) await mailAccountLocked(deps, user.id, email);
      });
    }
    throw tooManyAttempts(result.retryAfterMs);
  }
  return {
    succeeded: () => deps.counters.give([{ key: steps[0]!.key }, { key: steps[1]!.key, clear: true }, { key: steps[2]!.key }]),
  };
}

/** Counts a second-factor code for the account before it is checked; throws 429 while its second step is locked. */
export async function beginCodeAttempt(deps: AuthDeps, user: { id: string; email: string }, meta: RequestMeta): Promise<Attempt> {
  const steps = [addressStep(deps, meta.ip), { key: counterKeys.secondFactor(user.id), ...LIMITS.secondFactor }];
  const result = await deps.counters.hit(steps);
  if (!result.ok) {
    if (result.index === 1 && firstRefusal(result, steps[1]!)) {
      deps.background.run('mailing a second-factor lock', async () => {
        await recordAuthEvent(deps.db, { type: 'mfa_locked', userId: user.id, email: user.email }, meta);
        await mailSecondFactorLocked(deps, user.email);
      });
    }
    throw tooManyAttempts(result.retryAfterMs);
  }
  return { succeeded: () => deps.counters.give(steps.map((s) => ({ key: s.key }))) };
}

/** Lifts the all-addresses lock of an account's password sign-in (unlock link, password reset). */
export async function clearAccountLock(deps: Pick<AuthDeps, 'counters'>, email: string): Promise<void> {
  await deps.counters.give([{ key: counterKeys.account(email), clear: true }]);
}

async function mailAccountLocked(deps: AuthDeps, userId: string, email: string) {
  const { token } = await issueOneTimeToken(deps.db, { userId, purpose: 'UNLOCK_ACCOUNT' });
  const link = `${deps.config.appOrigin}/unlock-account?token=${encodeURIComponent(token)}`;
  const minutes = LIMITS.account.windowMs / 60_000;
  const text =
    `Someone has entered a wrong password for your Tessera account many times, from several places. ` +
    `To protect it, signing in with a password is paused for up to ${minutes} minutes.`;
  await deps.mailer.send({
    to: email,
    subject: 'Sign-in to your Tessera account is paused',
    text: `${text}\n\nIf it was you, sign in again straight away by opening:\n${link}\n\nIf it was not you, your password held; consider changing it to a long one you use nowhere else.\n`,
    html: `<p>${escapeHtml(text)}</p><p>If it was you: <a href="${escapeHtml(link)}">sign in again now</a>.</p><p>If it was not you, your password held; consider changing it to a long one you use nowhere else.</p>`,
    link,
  });
}

async function mailSecondFactorLocked(deps: AuthDeps, email: string) {
  const minutes = LIMITS.secondFactor.windowMs / 60_000;
  const text =
    `Someone signed in to your Tessera account with the right password and then entered ${LIMITS.secondFactor.max} wrong ` +
    `two-factor codes. The second step is locked for ${minutes} minutes.`;
  const advice = 'If it was not you, your password is known to someone else: change it now.';
  await deps.mailer.send({
    to: email,
    subject: 'Two-factor sign-in locked on your Tessera account',
    text: `${text}\n\n${advice}\n`,
    html: `<p>${escapeHtml(text)}</p><p>${escapeHtml(advice)}</p>`,
  });
}
