import { z } from 'zod';
import { emailSchema, nameSchema, newPasswordSchema, passwordSchema, phoneSchema } from './auth.js';

/**
 * Unknown keys (a `role`, say) are refused, not silently dropped. A new `email` needs the
 * `currentPassword` and waits for the link mailed to it.
 */
export const updateProfileInput = z.strictObject({
  name: nameSchema.optional(),
  phone: phoneSchema.optional(),
  email: emailSchema.optional(),
  currentPassword: passwordSchema.optional(),
});

export const changePasswordInput = z.object({
  currentPassword: passwordSchema,
  newPassword: newPasswordSchema,
});
