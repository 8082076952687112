import type { AppDeps } from '../../deps.js';
import { escapeHtml } from '../../lib/mail.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import { isEmailConflict } from '../users/unique-email.js';
import { consumeToken, findLiveToken, issueOneTimeToken } from './one-time-tokens.js';

type Deps = Pick<AppDeps, 'db' | 'config' | 'mailer'>;

/** Mails a confirmation link (24 h, single use) to the user's current address; a newer link voids older ones. */
export async function requestEmailVerification(deps: Deps, userId: string): Promise<{ ok: true }> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, emailVerifiedAt: true } });
  if (!user) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  if (user.emailVerifiedAt) return { ok: true };
  await sendVerificationMail(deps, { id: userId, email: user.email, name: user.name });
  return { ok: true };
}

export async function sendVerificationMail(deps: Deps, user: { id: string; email: string; name: string }): Promise<void> {
  const { token } = await issueOneTimeToken(deps.db, { userId: user.id, purpose: 'VERIFY_EMAIL', email: user.email });
  const link = `${deps.config.appOrigin}/verify-email?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: user.email,
    subject: 'Confirm your email for Tessera',
    text: `Hello ${user.name},\n\nConfirm this address for your Tessera account by opening:\n${link}\n\nThe link works once, for 24 hours. If you did not ask for it, ignore this mail.\n`,
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>Confirm this address for your Tessera account:</p><p><a href="${escapeHtml(link)}">Confirm my email</a></p><p>The link works once, for 24 hours. If you did not ask for it, ignore this mail.</p>`,
    link,
  });
}

const INVALID = 'This confirmation link is invalid, expired or already used. Ask for a new one from your profile.';

const TAKEN = 'This address now belongs to another account, so your email was not changed.';

/**
 * Confirms the address the link was sent to: the account's own address (it becomes verified), or
 * the new address it asked to move to (the account moves to it, verified), provided the request
 * still stands and the address is still free.
 */
export async function verifyEmail(deps: Pick<AppDeps, 'db'>, token: string, meta: RequestMeta): Promise<{ ok: true }> {
  const live = await findLiveToken(deps.db, token, 'VERIFY_EMAIL');
  const invalid = () => new AppError('LINK_INVALID', INVALID, { fieldErrors: { token: [INVALID] } });
  if (!live?.email) throw invalid();
  const address = live.email;
  try {
    await deps.db.$transaction(async (tx) => {
      if (!(await consumeToken(tx, live.id))) throw invalid();
      const user = await tx.user.findUnique({ where: { id: live.userId }, select: { email: true, pendingEmail: true } });
      if (user?.email === address) {
        await tx.user.update({ where: { id: live.userId }, data: { emailVerifiedAt: new Date() }, select: { id: true } });
        await recordAuthEvent(tx, { type: 'email_verified', userId: live.userId, email: address }, meta);
      } else if (user?.pendingEmail === address) {
        await tx.user.update({
          where: { id: live.userId },
          data: { email: address, emailVerifiedAt: new Date(), pendingEmail: null },
          select: { id: true },
        });
        await recordAuthEvent(tx, { type: 'email_change', userId: live.userId, email: address, detail: { from: user.email, to: address } }, meta);
      } else {
        throw invalid();
      }
    });
  } catch (error) {
    if (isEmailConflict(error)) throw new AppError('EMAIL_TAKEN', TAKEN, { fieldErrors: { token: [TAKEN] } });
    throw error;
  }
  return { ok: true };
}
