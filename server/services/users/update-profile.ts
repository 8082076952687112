import type { Prisma } from '../../generated/prisma/client.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { AppError } from '../errors.js';
import type { AppDeps } from '../../deps.js';
import { emailTaken, isEmailConflict } from './unique-email.js';
import { userSelect, type UserRow } from './user-select.js';

export interface ProfileChanges {
  name?: string;
  /** null clears it. */
  phone?: string | null;
  /** Normalised by the input schema; a new address is unverified until confirmed. */
  email?: string;
}

/**
 * Applies profile changes to a user. A changed email is stored lower-cased and unverified, must
 * not belong to another account (CONFLICT), and is audited with the old and new address.
 * `audit.actorId` names who did it when that is not the user (an admin); such edits of the name
 * or phone are audited as well.
 */
export async function updateProfile(
  deps: Pick<AppDeps, 'db'>,
  userId: string,
  changes: ProfileChanges,
  meta: RequestMeta,
  audit: { actorId?: string; extra?: Prisma.UserUpdateInput } = {},
): Promise<{ user: UserRow; emailChanged: boolean; before: UserRow }> {
  const before = await deps.db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!before) throw new AppError('USER_NOT_FOUND', 'No such user.');
  const email = changes.email?.trim().toLowerCase();
  const emailChanged = email !== undefined && email !== before.email;
  if (emailChanged && (await deps.db.user.findUnique({ where: { email }, select: { id: true } }))) throw emailTaken();

  const data: Prisma.UserUpdateInput = {
    ...(changes.name !== undefined ? { name: changes.name } : {}),
    ...(changes.phone !== undefined ? { phone: changes.phone } : {}),
    ...(emailChanged ? { email, emailVerifiedAt: null } : {}),
    ...audit.extra,
  };
  try {
    const user = await deps.db.$transaction(async (tx) => {
      const updated = await tx.user.update({ where: { id: userId }, data, select: userSelect });
      if (emailChanged) {
        await recordAuthEvent(
          tx,
          {
            type: 'email_change',
            userId,
            email: updated.email,
            detail: { from: before.email, to: updated.email, ...(audit.actorId ? { by: audit.actorId } : {}) },
          },
          meta,
        );
      }
      // An admin's edits of someone else's name or phone are audited too (which fields, not values).
      const fields = (['name', 'phone'] as const).filter((f) => changes[f] !== undefined && changes[f] !== before[f]);
      if (audit.actorId && audit.actorId !== userId && fields.length > 0) {
        await recordAuthEvent(tx, { type: 'profile_change', userId, email: updated.email, detail: { fields: [...fields], by: audit.actorId } }, meta);
      }
      return updated;
    });
    return { user, emailChanged, before };
  } catch (error) {
    if (isEmailConflict(error)) throw emailTaken();
    throw error;
  }
}
