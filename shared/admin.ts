import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction, type AuditFacts, type SentencePart } from './audit.js';
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

/** Audit event types written by the server (the full list with labels: shared/audit.ts). */
export const AUTH_EVENT_TYPES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

const isoDateTime = z.iso.datetime({ offset: true, message: 'Expected a date and time, such as 2027-05-01T00:00:00Z.' });

export const listAuditInput = z
  .object({
    userId: z.uuid('Not a user id.').optional(),
    /** Lines naming an account whose email contains this (as the account or as who acted). */
    email: z.string().trim().max(254, 'Use at most 254 characters.').optional(),
    type: z
      .string()
      .max(40)
      .regex(/^[a-z_]+$/, 'Not an event type.')
      .optional(),
    /** From this moment (inclusive) ... */
    from: isoDateTime.optional(),
    /** ... to this one (exclusive). */
    to: isoDateTime.optional(),
    cursor,
    limit,
  })
  .default({ limit: 20 });

export interface AuditEntry extends AuditFacts {
  id: string;
  type: string;
  userId: string | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  detail: unknown;
  /** Who acted, when not the account itself. */
  actorId: string | null;
  eventId: string | null;
  orderId: string | null;
  /** The line as a sentence, in parts (see shared/audit.ts). */
  sentence: SentencePart[];
}
