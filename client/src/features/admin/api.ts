import { createStaffInput, updateUserInput } from '../../../../shared/admin';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** Every change to an account shows in the users list and the staff requests at once. */
export function useUpdateUser() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.admin.users.update.useMutation({ onSuccess: () => utils.admin.users.list.invalidate() }), updateUserInput);
}

export function useDeleteUser() {
  const utils = trpc.useUtils();
  return useAction(trpc.admin.users.delete.useMutation({ onSuccess: () => utils.admin.users.list.invalidate() }), { errors: 'toast' });
}

export function useApproveStaff() {
  const utils = trpc.useUtils();
  return useAction(trpc.admin.staff.approve.useMutation({ onSuccess: () => utils.admin.users.list.invalidate() }), { errors: 'toast' });
}

export function useCreateStaff() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.admin.staff.create.useMutation({ onSuccess: () => utils.admin.users.list.invalidate() }), createStaffInput);
}
