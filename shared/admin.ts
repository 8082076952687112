import { z } from 'zod';
import { emailSchema, nameSchema, newPasswordSchema, phoneSchema, ROLES, STAFF_STATUSES } from './auth.js';

const limit = z.number().int().min(1).max(100).default(20);
/** Opaque page cursors, as returned in `nextCursor`. */
const cursor = z.string().max(200).nullish();

export const listUsersInput = z
  .object({
    q: z.string().trim().max(100, 'Use at most 100 characters.').optional(),
    role: z.enum(ROLES).optional(),
    staffStatus: z.enum(STAFF_STATUSES).optional(),
    cursor,
    limit,
  })
  .default({ limit: 20 });

export const updateUserInput = z.strictObject({
  userId: z.uuid('Not a user id.'),
  name: nameSchema.optional(),
  email: emailSchema.optional(),
  phone: phoneSchema.optional(),
  role: z.enum(ROLES).optional(),
});

export const deleteUserInput = z.object({ userId: z.uuid('Not a user id.') });

export const createStaffInput = z.object({ email: emailSchema, name: nameSchema, password: newPasswordSchema });

export const approveStaffInput = z.object({ userId: z.uuid('Not a user id.') });

/** Audit event types written by the server; other types may appear as features add them. */
export const AUTH_EVENT_TYPES = [
  'register',
  'login',
  'login_failed',
  'logout',
  'logout_all',
  'session_revoked',
  'refresh_reuse',
  'password_change',
  'email_change',
  'role_change',
  'staff_create',
  'staff_approve',
  'user_delete',
  'admin_bootstrap',
] as const;

export const listAuditInput = z
  .object({
    userId: z.uuid('Not a user id.').optional(),
    type: z
      .string()
      .max(40)
      .regex(/^[a-z_]+$/, 'Not an event type.')
      .optional(),
    cursor,
    limit,
  })
  .default({ limit: 20 });

export interface AuditEntry {
  id: string;
  type: string;
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  detail: unknown;
}
