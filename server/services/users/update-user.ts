import type { Role } from '../../../shared/auth.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import type { AuthDeps } from '../auth/auth-deps.js';
import { recordAuthChanges } from '../auth/auth-changes.js';
import { revokeSessions } from '../auth/revoke-sessions.js';
import { AppError } from '../errors.js';
import { updateProfile } from './update-profile.js';
import type { UserRow } from './user-select.js';

/**
 * An admin edits an account. Nobody changes their own role (FORBIDDEN), so an admin cannot demote
 * the last admin by accident either. A new role takes effect at once: the user's sessions are
 * revoked, so the next request needs a new sign-in and the new token carries the new role. A user
 * made STAFF starts PENDING, like any staff account, and needs `admin.staff.approve`.
 */
export async function updateUser(
  deps: AuthDeps,
  actorId: string,
  input: { userId: string; name?: string; email?: string; phone?: string | null; role?: Role },
  meta: RequestMeta,
): Promise<UserRow> {
  const target = await deps.db.user.findUnique({ where: { id: input.userId }, select: { id: true, role: true } });
  if (!target) throw new AppError('USER_NOT_FOUND', 'No such user.');
  const roleChanged = input.role !== undefined && input.role !== target.role;
  if (roleChanged && target.id === actorId) throw new AppError('NOT_ALLOWED', 'You cannot change your own role.');

  const { user } = await updateProfile(deps, input.userId, { name: input.name, email: input.email, phone: input.phone }, meta, {
    actorId,
    extra: roleChanged ? { role: input.role, staffStatus: input.role === 'STAFF' ? 'PENDING' : 'NONE' } : {},
  });
  if (roleChanged) {
    // Revoking the sessions ends the old role at once; the role change is recorded as well, so a
    // token the revocation has not reached yet is re-read rather than trusted.
    await deps.db.$transaction((tx) => recordAuthChanges(tx, { userId: user.id }));
    await deps.authState.note({ userId: user.id });
    const revoked = await revokeSessions(deps, { userId: user.id }, 'role_change');
    await recordAuthEvent(
      deps.db,
      {
        type: 'role_change',
        userId: user.id,
        email: user.email,
        detail: { from: target.role, to: user.role, by: actorId, revokedSessions: revoked.length },
      },
      meta,
    );
  }
  return user;
}
