import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { clearAccountLock } from '../auth/sign-in-throttle.js';
import { AppError } from '../errors.js';
import { consumeToken, findLiveToken } from './one-time-tokens.js';

const INVALID = 'This link is invalid, expired or already used. Wait a little and sign in again, or reset your password.';

/** Lifts the pause on an account's password sign-in, from the link mailed to its owner. */
export async function unlockAccount(deps: AuthDeps, token: string, meta: RequestMeta): Promise<{ ok: true }> {
  const live = await findLiveToken(deps.db, token, 'UNLOCK_ACCOUNT');
  const user = live ? await deps.db.user.findUnique({ where: { id: live.userId }, select: { email: true } }) : null;
  if (!live || !user || !(await consumeToken(deps.db, live.id))) {
    throw new AppError('LINK_INVALID', INVALID, { fieldErrors: { token: [INVALID] } });
  }
  await clearAccountLock(deps, user.email);
  await recordAuthEvent(deps.db, { type: 'account_unlocked', userId: live.userId, email: user.email }, meta);
  return { ok: true };
}
