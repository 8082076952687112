import type { User } from '../../../shared/auth.js';
import { deleteUserInput, listUsersInput, updateUserInput } from '../../../shared/admin.js';
import { deleteUser } from '../../services/users/delete-user.js';
import { listUsers } from '../../services/users/list-users.js';
import { updateUser } from '../../services/users/update-user.js';
import { toUser } from '../../services/users/user-select.js';
import { adminProcedure, router } from '../../trpc/init.js';

export const usersRouter = router({
  list: adminProcedure.input(listUsersInput).query(({ ctx, input }) => listUsers(ctx.deps, input)),

  update: adminProcedure.input(updateUserInput).mutation(async ({ ctx, input }): Promise<User> => {
    return toUser(await updateUser(ctx.deps, ctx.user.id, input, ctx.meta));
  }),

  delete: adminProcedure.input(deleteUserInput).mutation(async ({ ctx, input }) => {
    await deleteUser(ctx.deps, ctx.user.id, input.userId, ctx.meta);
    return { ok: true as const };
  }),
});
