import type { User } from '../../../shared/auth.js';
import { approveStaffInput, createStaffInput } from '../../../shared/admin.js';
import { approveStaff } from '../../services/users/approve-staff.js';
import { createUser } from '../../services/users/create-user.js';
import { toUser } from '../../services/users/user-select.js';
import { adminProcedure, router } from '../../trpc/init.js';

export const staffRouter = router({
  /** A staff account awaiting approval (role STAFF, staffStatus PENDING): customer rights until approved. */
  create: adminProcedure.input(createStaffInput).mutation(async ({ ctx, input }): Promise<User> => {
    const user = await createUser(
      ctx.deps,
      { ...input, role: 'STAFF', staffStatus: 'PENDING' },
      { type: 'staff_create', meta: ctx.meta, detail: { by: ctx.user.id } },
    );
    return toUser(user);
  }),

  approve: adminProcedure.input(approveStaffInput).mutation(async ({ ctx, input }): Promise<User> => {
    return toUser(await approveStaff(ctx.deps, ctx.user.id, input.userId, ctx.meta));
  }),
});
