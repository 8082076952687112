import { escapeHtml } from '../../lib/mail.js';
import { hashPassword, passwordProblem } from '../../lib/passwords.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { revokeSessions } from '../auth/revoke-sessions.js';
import { clearAccountLock, counterKeys, LIMITS } from '../auth/sign-in-throttle.js';
import { AppError } from '../errors.js';
import { consumeToken, findLiveToken, issueOneTimeToken } from './one-time-tokens.js';

type Deps = AuthDeps;

/**
 * Always answers the same, at once: all the work (looking the address up, issuing the link, the
 * mail) happens after the answer, so neither its words nor its time say whether the account
 * exists. One address gets at most LIMITS.resetMail mails an hour, so nobody can flood a mailbox.
 */
export async function requestPasswordReset(deps: Deps, email: string, meta: RequestMeta): Promise<{ ok: true }> {
  const address = email.trim().toLowerCase();
  deps.background.run('mailing a password reset link', async () => {
    const user = await deps.db.user.findUnique({ where: { email: address }, select: { id: true, email: true, name: true } });
    if (!user) return;
    const budget = await deps.counters.hit([{ key: counterKeys.resetMail(address), ...LIMITS.resetMail }]);
    if (!budget.ok) return;
    await mailResetLink(deps, user, meta);
  });
  return { ok: true };
}

async function mailResetLink(deps: Deps, user: { id: string; email: string; name: string }, meta: RequestMeta) {
  const { token } = await issueOneTimeToken(deps.db, { userId: user.id, purpose: 'RESET_PASSWORD' });
  await recordAuthEvent(deps.db, { type: 'password_reset_requested', userId: user.id, email: user.email }, meta);
  const link = `${deps.config.appOrigin}/reset-password?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: user.email,
    subject: 'Reset your Tessera password',
    text: `Hello ${user.name},\n\nChoose a new password by opening:\n${link}\n\nThe link works once, for one hour, and signs you out everywhere. If you did not ask for it, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p><a href="${escapeHtml(link)}">Choose a new password</a></p><p>The link works once, for one hour, and signs you out everywhere. If you did not ask for it, ignore this mail: your password stays as it is.</p>`,
    link,
  });
}

const INVALID = 'This reset link is invalid, expired or already used. Ask for a new one.';

/** Sets a new password from a reset link; every session of the account is revoked. */
export async function resetPassword(deps: Deps, token: string, password: string, meta: RequestMeta): Promise<{ ok: true }> {
  const live = await findLiveToken(deps.db, token, 'RESET_PASSWORD');
  if (!live) throw new AppError('LINK_INVALID', INVALID, { fieldErrors: { token: [INVALID] } });
  const user = await deps.db.user.findUnique({ where: { id: live.userId }, select: { email: true } });
  if (!user) throw new AppError('LINK_INVALID', INVALID, { fieldErrors: { token: [INVALID] } });
  // A refused password leaves the link usable for a better one.
  const problem = passwordProblem(password, user.email);
  if (problem) throw new AppError('INVALID_INPUT', problem, { fieldErrors: { password: [problem] } });
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);
  await deps.db.$transaction(async (tx) => {
    if (!(await consumeToken(tx, live.id))) throw new AppError('LINK_INVALID', INVALID, { fieldErrors: { token: [INVALID] } });
    await tx.user.update({ where: { id: live.userId }, data: { passwordHash }, select: { id: true } });
    await recordAuthEvent(tx, { type: 'password_reset', userId: live.userId, email: user.email }, meta);
  });
  await revokeSessions(deps, { userId: live.userId }, 'password reset');
  // The owner proved they read this mailbox: a lock from distributed guessing ends too.
  await clearAccountLock(deps, user.email);
  return { ok: true };
}
