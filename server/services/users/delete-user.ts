import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { revokeSessions } from '../auth/revoke-sessions.js';
import { AppError } from '../errors.js';

/**
 * Deletes an account but keeps its orders (their user becomes null). Its seat holds go back on
 * sale first, in the same transaction, because a hold references its holder. Its sessions are
 * revoked before anything else, so its tokens stop working even if the delete fails.
 */
export async function deleteUser(deps: AuthDeps, actorId: string, userId: string, meta: RequestMeta): Promise<void> {
  if (userId === actorId) throw new AppError('NOT_ALLOWED', 'You cannot delete your own account.');
  const target = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true, email: true, role: true } });
  if (!target) throw new AppError('USER_NOT_FOUND', 'No such user.');
  // The session rows go with the user; their "AuthChange" rows stay, so every instance (also one
  // restarted later) keeps refusing their unexpired access tokens.
  const sessions = await deps.db.session.findMany({ where: { userId, expiresAt: { gt: new Date() } }, select: { id: true } });
  await revokeSessions(deps, { userId }, 'user_deleted');
  await deps.db.$transaction(async (tx) => {
    const released = await tx.ticket.updateMany({
      where: { heldById: userId },
      data: { status: 'AVAILABLE', holdId: null, heldById: null, holdExpiresAt: null },
    });
    await tx.user.delete({ where: { id: userId }, select: { id: true } });
    await recordAuthEvent(
      tx,
      {
        type: 'user_delete',
        userId: null,
        email: target.email,
        detail: { deletedUserId: userId, role: target.role, by: actorId, releasedSeats: released.count, sessionIds: sessions.map((s) => s.id) },
      },
      meta,
    );
  });
}
