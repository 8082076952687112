import { z } from 'zod';
import { emailSchema, nameSchema, newPasswordSchema, passwordSchema, phoneSchema } from './auth.js';

/** Unknown keys (a `role`, say) are refused, not silently dropped. */
export const updateProfileInput = z.strictObject({
  name: nameSchema.optional(),
  phone: phoneSchema.optional(),
  email: emailSchema.optional(),
});

export const changePasswordInput = z.object({
  currentPassword: passwordSchema,
  newPassword: newPasswordSchema,
});
