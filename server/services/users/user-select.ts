import type { Prisma } from '../../generated/prisma/client.js';
import type { User } from '../../../shared/auth.js';

/** The columns a User is made of; never the password hash or the MFA secret. */
export const userSelect = {
  id: true,
  email: true,
  name: true,
  phone: true,
  avatarUrl: true,
  role: true,
  staffStatus: true,
  emailVerifiedAt: true,
  pendingEmail: true,
  mfaEnabledAt: true,
  createdAt: true,
} satisfies Prisma.UserSelect;

export type UserRow = Prisma.UserGetPayload<{ select: typeof userSelect }>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    avatarUrl: row.avatarUrl,
    role: row.role,
    staffStatus: row.staffStatus,
    emailVerified: row.emailVerifiedAt !== null,
    pendingEmail: row.pendingEmail,
    mfaEnabled: row.mfaEnabledAt !== null,
    createdAt: row.createdAt.toISOString(),
  };
}
