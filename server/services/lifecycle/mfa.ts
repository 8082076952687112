import QRCode from 'qrcode';
import { hashToken } from '../../lib/tokens.js';
import { open, seal } from '../../lib/secret-box.js';
import { checkTotp, newTotpSecret, totpUri } from '../../lib/totp.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { beginCodeAttempt, beginPasswordAttempt, LIMITS } from '../auth/sign-in-throttle.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from '../users/user-select.js';
import { verifyPassword } from '../../lib/passwords.js';
import { issueOneTimeToken } from './one-time-tokens.js';
import { newRecoveryCodes, recoveryCodeHash, useSecondFactor } from './second-factor.js';

type Deps = AuthDeps;

const mfaSelect = {
  id: true,
  email: true,
  passwordHash: true,
  mfaSecret: true,
  mfaEnabledAt: true,
  mfaLastStep: true,
} as const;

const WRONG_CODE = 'That code is not right. Use the current code from your app or an unused recovery code.';

function wrongCode(field = 'code'): AppError {
  return new AppError('WRONG_CODE', WRONG_CODE, { fieldErrors: { [field]: [WRONG_CODE] } });
}

async function loadUser(deps: Deps, userId: string) {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: mfaSelect });
  if (!user) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  return user;
}

/**
 * Starts two-factor setup: a new secret, kept encrypted and inactive until `enableMfa` sees a
 * code from it. Calling it again replaces a pending secret; an active one is never replaced here.
 */
export async function setupMfa(deps: Deps, userId: string): Promise<{ secret: string; otpauthUrl: string; qrCodeDataUrl: string }> {
  const user = await loadUser(deps, userId);
  if (user.mfaEnabledAt) throw new AppError('MFA_ALREADY_ON', 'Two-factor sign-in is already on. Turn it off first to set up a new device.');
  const secret = newTotpSecret();
  await deps.db.user.update({
    where: { id: userId },
    data: { mfaSecret: seal(secret, deps.config.mfaEncryptionKey), mfaLastStep: null },
    select: { id: true },
  });
  const otpauthUrl = totpUri(secret, user.email);
  return { secret, otpauthUrl, qrCodeDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 }) };
}

/** Turns two-factor on with a code from the pending secret; returns 10 single-use recovery codes, shown once. */
export async function enableMfa(deps: Deps, userId: string, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const user = await loadUser(deps, userId);
  if (user.mfaEnabledAt) throw new AppError('MFA_ALREADY_ON', 'Two-factor sign-in is already on.');
  if (!user.mfaSecret) throw new AppError('MFA_NOT_SET_UP', 'Start the two-factor setup first.');
  const step = await checkTotp(open(user.mfaSecret, deps.config.mfaEncryptionKey), code.trim(), user.mfaLastStep);
  if (step === null) throw wrongCode();
  const recoveryCodes = newRecoveryCodes();
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, mfaEnabledAt: null, mfaSecret: user.mfaSecret },
      data: { mfaEnabledAt: new Date(), mfaLastStep: step },
    });
    if (count !== 1) throw new AppError('MFA_SETUP_CHANGED', 'Two-factor setup changed meanwhile. Start again.');
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await tx.mfaRecoveryCode.createMany({ data: recoveryCodes.map((c) => ({ userId, codeHash: recoveryCodeHash(c) })) });
    await recordAuthEvent(tx, { type: 'mfa_enabled', userId, email: user.email }, meta);
  });
  return { recoveryCodes };
}

/** Turns two-factor off; needs the password and a current code (or a recovery code), each counted like a sign-in. */
export async function disableMfa(deps: Deps, userId: string, password: string, code: string, meta: RequestMeta): Promise<{ ok: true }> {
  const user = await loadUser(deps, userId);
  if (!user.mfaEnabledAt) throw new AppError('MFA_NOT_SET_UP', 'Two-factor sign-in is not on.');
  const passwordAttempt = await beginPasswordAttempt(deps, user.email, meta);
  if (!(await verifyPassword(password, user.passwordHash, deps.config.bcryptCost))) {
    await recordAuthEvent(deps.db, { type: 'mfa_disable_failed', userId, email: user.email, detail: { reason: 'wrong_password' } }, meta);
    throw new AppError('WRONG_PASSWORD', 'That password is not right.', { fieldErrors: { password: ['That password is not right.'] } });
  }
  await passwordAttempt.succeeded();
  const codeAttempt = await beginCodeAttempt(deps, user, meta);
  if (!(await useSecondFactor(deps.db, user, code, deps.config.mfaEncryptionKey))) {
    await recordAuthEvent(deps.db, { type: 'mfa_disable_failed', userId, email: user.email, detail: { reason: 'wrong_code' } }, meta);
    throw wrongCode();
  }
  await codeAttempt.succeeded();
  await deps.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null }, select: { id: true } });
    await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
    await recordAuthEvent(tx, { type: 'mfa_disabled', userId, email: user.email }, meta);
  });
  return { ok: true };
}

/** After a right password on an MFA account: a 5-minute, single-use ticket for the second step. */
export async function startMfaChallenge(deps: Deps, userId: string): Promise<{ mfaRequired: true; mfaToken: string }> {
  const { token } = await issueOneTimeToken(deps.db, { userId, purpose: 'MFA_LOGIN' });
  return { mfaRequired: true, mfaToken: token };
}

const EXPIRED = 'This sign-in attempt has expired. Sign in again with your password.';

/**
 * The second step of sign-in. Each code given counts against the challenge first, atomically, so
 * parallel guesses cannot outrun it: after LIMITS.challenge wrong codes the challenge is dead. A
 * right code uses it up and returns the user to open a session for.
 */
export async function completeMfaChallenge(deps: Deps, mfaToken: string, code: string, meta: RequestMeta): Promise<UserRow> {
  if (mfaToken.length > 200) throw new AppError('CHALLENGE_EXPIRED', EXPIRED);
  const [challenge] = await deps.db.$queryRaw<Array<{ id: string; userId: string; attempts: number }>>`
    UPDATE "OneTimeToken" SET attempts = attempts + 1
    WHERE "tokenHash" = ${hashToken(mfaToken)} AND purpose = 'MFA_LOGIN' AND "usedAt" IS NULL AND "expiresAt" > now() AT TIME ZONE 'UTC'
    RETURNING id::text AS id, "userId"::text AS "userId", attempts`;
  if (!challenge || challenge.attempts > LIMITS.challenge) throw new AppError('CHALLENGE_EXPIRED', EXPIRED);
  const user = await deps.db.user.findUnique({ where: { id: challenge.userId }, select: userSelect });
  if (!user) throw new AppError('CHALLENGE_EXPIRED', EXPIRED);
  try {
    await checkSecondStep(deps, user, code, meta);
  } catch (error) {
    // The last allowed wrong code ends the challenge, so the next one is told to start again.
    if (challenge.attempts >= LIMITS.challenge) await useUp(deps, challenge.id);
    throw error;
  }
  if (!(await useUp(deps, challenge.id))) throw new AppError('CHALLENGE_EXPIRED', EXPIRED);
  return user;
}

async function useUp(deps: Deps, id: string): Promise<boolean> {
  const { count } = await deps.db.oneTimeToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

/**
 * The code check shared by the MFA step of login and `auth.token`'s `code`: a TOTP or recovery
 * code, counted by the sign-in throttle before it is checked.
 */
export async function checkSecondStep(deps: Deps, user: { id: string; email: string }, code: string | undefined, meta: RequestMeta): Promise<void> {
  if (!code) throw new AppError('SECOND_FACTOR_REQUIRED', 'Enter the code from your authenticator app.', { mfaRequired: true });
  const attempt = await beginCodeAttempt(deps, user, meta);
  const secrets = await loadUser(deps, user.id);
  const used = await useSecondFactor(deps.db, secrets, code, deps.config.mfaEncryptionKey);
  if (!used) {
    await recordAuthEvent(deps.db, { type: 'login_failed', userId: user.id, email: user.email, detail: { reason: 'wrong_mfa_code' } }, meta);
    throw new AppError('SECOND_FACTOR_WRONG', WRONG_CODE, { fieldErrors: { code: [WRONG_CODE] } });
  }
  await attempt.succeeded();
  if (used === 'recovery') {
    await recordAuthEvent(deps.db, { type: 'mfa_recovery_code_used', userId: user.id, email: user.email }, meta);
  }
}
