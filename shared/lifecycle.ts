import { z } from 'zod';
import { emailSchema, newPasswordSchema, passwordSchema } from './auth.js';

/** Tokens from mail links: opaque, URL-safe. */
const linkToken = z.string().trim().min(16, 'This link is incomplete.').max(200, 'This link is not valid.');

/** A TOTP code (6 digits) or a recovery code (XXXXX-XXXXX). */
export const secondFactorCode = z
  .string()
  .trim()
  .min(6, 'Enter the 6-digit code or a recovery code.')
  .max(20, 'Enter the 6-digit code or a recovery code.');

export const verifyEmailInput = z.object({ token: linkToken });

export const unlockAccountInput = z.object({ token: linkToken });
export const requestPasswordResetInput = z.object({ email: emailSchema });
export const resetPasswordInput = z.object({ token: linkToken, password: newPasswordSchema });
export const mfaEnableInput = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'Enter the 6-digit code from your app.'),
});
export const mfaDisableInput = z.object({ password: passwordSchema, code: secondFactorCode });
export const verifyMfaInput = z.object({ mfaToken: linkToken, code: secondFactorCode });

export interface MfaSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}
