import type { AppDeps } from '../../deps.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from './user-select.js';

/** The signed-in user's own record; an account deleted under a live token is UNAUTHORIZED. */
export async function getOwnUser(deps: Pick<AppDeps, 'db'>, userId: string): Promise<UserRow> {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
  return user;
}
