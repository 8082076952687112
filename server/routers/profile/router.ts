import type { User } from '../../../shared/auth.js';
import { changePasswordInput, updateProfileInput } from '../../../shared/profile.js';
import { requestEmailChange } from '../../services/users/request-email-change.js';
import { changePassword } from '../../services/users/change-password.js';
import { updateProfile } from '../../services/users/update-profile.js';
import { getOwnUser } from '../../services/users/get-user.js';
import { toUser } from '../../services/users/user-select.js';
import { protectedProcedure, router } from '../../trpc/init.js';

export const profileRouter = router({
  /**
   * Name and phone change at once. A new email needs `currentPassword` and takes effect when the
   * link mailed to it is opened; until then it shows as `pendingEmail`.
   */
  update: protectedProcedure.input(updateProfileInput).mutation(async ({ ctx, input }): Promise<User> => {
    const { email, currentPassword, ...rest } = input;
    const current = await getOwnUser(ctx.deps, ctx.user.id);
    if (email !== undefined && email !== current.email) {
      await requestEmailChange(ctx.deps, ctx.user.id, { email, currentPassword }, ctx.meta);
    }
    if (rest.name === undefined && rest.phone === undefined) return toUser(await getOwnUser(ctx.deps, ctx.user.id));
    const { user } = await updateProfile(ctx.deps, ctx.user.id, rest, ctx.meta);
    return toUser(user);
  }),

  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.deps, { userId: ctx.user.id, sessionId: ctx.user.sessionId }, input, ctx.meta);
    return { ok: true as const };
  }),
});
