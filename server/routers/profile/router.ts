import type { User } from '../../../shared/auth.js';
import { changePasswordInput, updateProfileInput } from '../../../shared/profile.js';
import { sendVerificationMail } from '../../services/lifecycle/email-verification.js';
import { changePassword } from '../../services/users/change-password.js';
import { updateProfile } from '../../services/users/update-profile.js';
import { toUser } from '../../services/users/user-select.js';
import { protectedProcedure, router } from '../../trpc/init.js';
import { metaOf } from '../auth/http.js';
import { protectedPasswordCheckingProcedure } from '../auth/procedures.js';

export const profileRouter = router({
  update: protectedProcedure.input(updateProfileInput).mutation(async ({ ctx, input }): Promise<User> => {
    const { user, emailChanged } = await updateProfile(ctx.deps.db, ctx.user.id, input, metaOf(ctx));
    // The new address stays unverified until the link mailed to it is opened.
    if (emailChanged) await sendVerificationMail(ctx.deps, user);
    return toUser(user);
  }),

  changePassword: protectedPasswordCheckingProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.deps, { userId: ctx.user.id, sessionId: ctx.user.sessionId }, input, metaOf(ctx));
    return { ok: true as const };
  }),
});
