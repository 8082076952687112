import { escapeHtml } from '../../lib/mail.js';
import { verifyPassword } from '../../lib/passwords.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { beginPasswordAttempt, counterKeys, LIMITS, tooManyAttempts } from '../auth/sign-in-throttle.js';
import { AppError, fieldError } from '../errors.js';
import { issueOneTimeToken } from '../lifecycle/one-time-tokens.js';

/**
 * A signed-in user asks to move their account to another address. The change waits for the link
 * mailed to the new address (until then the account keeps its email and `pendingEmail` shows the
 * request). It needs the current password, is limited to LIMITS.emailChange requests an hour per
 * account, and answers the same whether or not the address belongs to someone else: that owner
 * is told by mail that someone tried, and no link is sent. The old address is told as well.
 */
export async function requestEmailChange(
  deps: AuthDeps,
  userId: string,
  input: { email: string; currentPassword: string | undefined },
  meta: RequestMeta,
): Promise<void> {
  if (!input.currentPassword) throw fieldError('currentPassword', 'Enter your current password to change your email.');
  const budget = await deps.counters.hit([{ key: counterKeys.emailChange(userId), ...LIMITS.emailChange }]);
  if (!budget.ok) throw tooManyAttempts(budget.retryAfterMs);
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, passwordHash: true } });
  if (!user) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  const attempt = await beginPasswordAttempt(deps, user.email, meta);
  if (!(await verifyPassword(input.currentPassword, user.passwordHash, deps.config.bcryptCost))) {
    throw fieldError('currentPassword', 'Your current password is not correct.');
  }
  await attempt.succeeded();
  await deps.db.user.update({ where: { id: userId }, data: { pendingEmail: input.email }, select: { id: true } });
  await recordAuthEvent(deps.db, { type: 'email_change_requested', userId, email: user.email }, meta);

  deps.background.run('mailing an email change', async () => {
    const owner = await deps.db.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (owner) {
      await mailAddressTaken(deps, input.email);
    } else {
      const { token } = await issueOneTimeToken(deps.db, { userId, purpose: 'VERIFY_EMAIL', email: input.email });
      await mailConfirmNewAddress(deps, input.email, user.name, token);
    }
    await mailOldAddress(deps, user.email, user.name, input.email);
  });
}

async function mailConfirmNewAddress(deps: AuthDeps, to: string, name: string, token: string) {
  const link = `${deps.config.appOrigin}/verify-email?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to,
    subject: 'Confirm your new email for Tessera',
    text: `Hello ${name},\n\nTo sign in to Tessera with this address from now on, confirm it by opening:\n${link}\n\nThe link works once, for 24 hours. Until then your account keeps its current address. If you did not ask for this, ignore this mail.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>To sign in to Tessera with this address from now on, <a href="${escapeHtml(link)}">confirm it</a>.</p><p>The link works once, for 24 hours. Until then your account keeps its current address. If you did not ask for this, ignore this mail.</p>`,
    link,
  });
}

async function mailAddressTaken(deps: AuthDeps, to: string) {
  const text =
    'Someone signed in to another Tessera account asked to move that account to this address. ' +
    'This address already has an account (yours), so nothing changed and you do not need to do anything.';
  await deps.mailer.send({ to, subject: 'Someone tried to use your email on Tessera', text: `${text}\n`, html: `<p>${escapeHtml(text)}</p>` });
}

async function mailOldAddress(deps: AuthDeps, to: string, name: string, requested: string) {
  const text =
    `A change of the email for your Tessera account to ${requested} was requested. It takes effect only once the ` +
    'link sent to that address is opened. If it was not you, change your password now.';
  await deps.mailer.send({
    to,
    subject: 'Your Tessera email is about to change',
    text: `Hello ${name},\n\n${text}\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>${escapeHtml(text)}</p>`,
  });
}
