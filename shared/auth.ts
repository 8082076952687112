import { z } from 'zod';

/** Inputs and outputs of `auth.*`, shared by the server, the React client and the SDK. */

export const ROLES = ['CUSTOMER', 'STAFF', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_STATUSES = ['NONE', 'PENDING', 'APPROVED'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/**
 * Procedures whose 401 is the answer itself (a wrong password or code, a dead link or challenge),
 * not an expired access token: clients must not renew the session and retry them. The browser
 * client and the SDK both use this one list.
 */
export const NO_RENEWAL_ON_401: ReadonlySet<string> = new Set([
  'auth.login',
  'auth.register',
  'auth.verifyMfa',
  'auth.token',
  'auth.refresh',
  'auth.logout',
  'auth.verifyEmail',
  'auth.requestPasswordReset',
  'auth.resetPassword',
  'auth.unlockAccount',
]);

/** Approved staff or an admin: the one rule for staff rights, on the server and in the client. */
export function isStaff(user: { role: Role; staffStatus: StaffStatus } | null | undefined): boolean {
  return !!user && (user.role === 'ADMIN' || (user.role === 'STAFF' && user.staffStatus === 'APPROVED'));
}

export interface User {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  avatarUrl: string | null;
  role: Role;
  staffStatus: StaffStatus;
  emailVerified: boolean;
  /** A new address asked for in profile.update, waiting for its confirmation link; null when none. */
  pendingEmail: string | null;
  mfaEnabled: boolean;
  createdAt: string;
}

export interface Session {
  user: User;
  accessToken: string;
  /** When the access token expires (ISO); refresh before then. */
  expiresAt: string;
}

/** `auth.login` for an account with two-factor sign-in: the second step is `auth.verifyMfa`. */
export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}

export interface TokenResponse {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  /** Last sign-in or refresh of this session (access tokens are not tracked per request). */
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** An address as stored: trimmed, lower-cased, at most 254 characters. */
export const emailSchema = z.string().trim().toLowerCase().max(254, 'Use at most 254 characters.').pipe(z.email('Enter a valid email address.'));

/** A new password: 8 characters to 72 bytes (bcrypt's limit). The server also refuses common ones. */
export const newPasswordSchema = z
  .string()
  .min(8, 'Use at least 8 characters.')
  .refine((s) => utf8Bytes(s) <= 72, 'Use at most 72 bytes (accented letters and emoji count as several).');

/** A password being checked, not set: bounded, otherwise anything. */
export const passwordSchema = z.string().min(1, 'Enter your password.').max(1024, 'That password is too long.');

export const nameSchema = z.string().trim().min(1, 'Enter a name.').max(100, 'Use at most 100 characters.');

/** A phone number, or null (an empty string also clears it). */
export const phoneSchema = z
  .string()
  .trim()
  .max(32, 'Use at most 32 characters.')
  .refine((s) => s === '' || /^\+?[0-9][0-9 ().-]{3,31}$/.test(s), 'Enter a phone number such as +44 20 7946 0958.')
  .transform((s) => (s === '' ? null : s))
  .nullable();

export const registerInput = z.strictObject({
  email: emailSchema,
  password: newPasswordSchema,
  name: nameSchema,
  requestStaff: z.boolean().optional(),
});

export const loginInput = z.object({
  email: z.string().trim().toLowerCase().min(1, 'Enter your email address.').max(254, 'Use at most 254 characters.'),
  password: passwordSchema,
});

/**
 * `auth.token`: email and password in the body, unless an `Authorization: Basic` header carries
 * them (then the body may be empty or `{}`).
 */
export const tokenInput = z
  .object({
    email: loginInput.shape.email.optional(),
    password: passwordSchema.optional(),
    code: z.string().trim().max(64, 'That code is too long.').optional(),
  })
  .optional();

const refreshTokenSchema = z.string().min(1).max(200, 'That is not a refresh token.');

/** Without a body token, the refresh cookie is used. */
export const refreshInput = z.object({ refreshToken: refreshTokenSchema.optional() }).optional();

/** `auth.logout` revokes the caller's session; a script whose access token expired may name it by refresh token. */
export const logoutInput = z.object({ refreshToken: refreshTokenSchema.optional() }).optional();

export const revokeSessionInput = z.object({ sessionId: z.uuid('Not a session id.') });
