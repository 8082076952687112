import { hashPassword, passwordProblem, verifyPassword } from '../../lib/passwords.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError, fieldError } from '../errors.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { revokeSessions } from '../auth/revoke-sessions.js';
import { beginPasswordAttempt } from '../auth/sign-in-throttle.js';

/**
 * Changes the caller's password after checking the current one (counted by the sign-in throttle,
 * like a sign-in). Every other session is revoked; this one stays.
 */
export async function changePassword(
  deps: AuthDeps,
  who: { userId: string; sessionId: string },
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<void> {
  const account = await deps.db.user.findUnique({
    where: { id: who.userId },
    select: { id: true, email: true, passwordHash: true },
  });
  if (!account) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  const problem = passwordProblem(input.newPassword, account.email);
  if (problem) throw fieldError('newPassword', problem);
  const attempt = await beginPasswordAttempt(deps, account.email, meta);
  if (!(await verifyPassword(input.currentPassword, account.passwordHash, deps.config.bcryptCost))) {
    throw fieldError('currentPassword', 'Your current password is not correct.');
  }
  await attempt.succeeded();
  if (await verifyPassword(input.newPassword, account.passwordHash, deps.config.bcryptCost)) {
    throw fieldError('newPassword', 'Choose a password different from your current one.');
  }
  const passwordHash = await hashPassword(input.newPassword, deps.config.bcryptCost);
  await deps.db.user.update({ where: { id: account.id }, data: { passwordHash }, select: { id: true } });
  const revoked = await revokeSessions(deps, { userId: account.id, exceptSessionId: who.sessionId }, 'password_change');
  await recordAuthEvent(
    deps.db,
    { type: 'password_change', userId: account.id, email: account.email, detail: { revokedSessions: revoked.length } },
    meta,
  );
}
