import { useMutation } from '@tanstack/react-query';
import { changePasswordInput, updateProfileInput } from '../../../../shared/profile';
import { useForgetSession } from '../../lib/session';
import { uploadAvatar } from '../../lib/upload';
import { useAction, useFormAction } from '../../lib/useAction';
import { trpc } from '../../trpc';

/** The answer is the updated user: it becomes `auth.me` at once. */
export function useUpdateProfile() {
  const utils = trpc.useUtils();
  return useFormAction(trpc.profile.update.useMutation({ onSuccess: (user) => utils.auth.me.setData(undefined, user) }), updateProfileInput);
}

export function useChangePassword() {
  return useFormAction(trpc.profile.changePassword.useMutation(), changePasswordInput);
}

/** A plain HTTP upload (multipart), not a procedure; the new picture shows everywhere `auth.me` does. */
export function useUploadAvatar() {
  const utils = trpc.useUtils();
  return useAction(
    useMutation({
      mutationFn: uploadAvatar,
      onSuccess: async ({ avatarUrl }) => {
        utils.auth.me.setData(undefined, (old) => (old ? { ...old, avatarUrl } : old));
        await utils.auth.me.invalidate();
      },
    }),
    { errors: 'form' },
  );
}

export function useRequestEmailVerification() {
  return useAction(trpc.auth.requestEmailVerification.useMutation(), { errors: 'toast' });
}

export function useSetupMfa() {
  return useAction(trpc.auth.mfa.setup.useMutation(), { errors: 'toast' });
}

export function useEnableMfa() {
  const utils = trpc.useUtils();
  return useAction(trpc.auth.mfa.enable.useMutation({ onSuccess: () => utils.auth.me.invalidate() }), { errors: 'form' });
}

export function useDisableMfa() {
  const utils = trpc.useUtils();
  return useAction(trpc.auth.mfa.disable.useMutation({ onSuccess: () => utils.auth.me.invalidate() }), { errors: 'form' });
}

export function useRevokeSession() {
  const utils = trpc.useUtils();
  return useAction(trpc.auth.revokeSession.useMutation({ onSuccess: () => utils.auth.sessions.invalidate() }), { errors: 'toast' });
}

/** Every session ends, this browser's included: nothing cached for it is kept. */
export function useLogoutEverywhere() {
  const forget = useForgetSession();
  return useAction(trpc.auth.logoutAll.useMutation({ onSuccess: forget }), { errors: 'toast' });
}
