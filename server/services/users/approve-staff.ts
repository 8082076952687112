import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { Db } from '../../db/database.js';
import { AppError } from '../errors.js';
import { userSelect, type UserRow } from './user-select.js';

/**
 * Gives a staff account its staff rights. They show in the user's next access token (at the next
 * refresh, within 15 minutes at most); approving again changes nothing.
 */
export async function approveStaff(db: Db, actorId: string, userId: string, meta: RequestMeta): Promise<UserRow> {
  const target = await db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!target) throw new AppError('NOT_FOUND', 'No such user.');
  if (target.role !== 'STAFF') throw new AppError('CONFLICT', 'Only staff accounts can be approved. Make the user STAFF first.');
  if (target.staffStatus === 'APPROVED') return target;
  return db.$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: userId }, data: { staffStatus: 'APPROVED' }, select: userSelect });
    await recordAuthEvent(tx, { type: 'staff_approve', userId, email: user.email, detail: { from: target.staffStatus, by: actorId } }, meta);
    return user;
  });
}
