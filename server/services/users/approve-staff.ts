import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { recordAuthChanges } from '../auth/auth-changes.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from './user-select.js';

/**
 * Gives a staff account its staff rights, from the user's next request on (on every instance:
 * the change is followed like a revocation, so tokens signed before it are re-read). Approving
 * again changes nothing.
 */
export async function approveStaff(deps: Pick<AuthDeps, 'db' | 'authState'>, actorId: string, userId: string, meta: RequestMeta): Promise<UserRow> {
  const target = await deps.db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!target) throw new AppError('USER_NOT_FOUND', 'No such user.');
  if (target.role !== 'STAFF') throw new AppError('NOT_A_STAFF_ACCOUNT', 'Only staff accounts can be approved. Make the user STAFF first.');
  if (target.staffStatus === 'APPROVED') return target;
  const user = await deps.db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: userId }, data: { staffStatus: 'APPROVED' }, select: userSelect });
    await recordAuthEvent(tx, { type: 'staff_approve', userId, email: updated.email, detail: { from: target.staffStatus, by: actorId } }, meta);
    await recordAuthChanges(tx, { userId });
    return updated;
  });
  await deps.authState.note({ userId });
  return user;
}
