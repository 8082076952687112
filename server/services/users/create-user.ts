import type { Role, StaffStatus } from '../../../shared/auth.js';
import type { AppDeps } from '../../deps.js';
import { hashPassword, passwordProblem } from '../../lib/passwords.js';
import { recordAuthEvent, type RequestMeta } from '../audit/record-event.js';
import { fieldError } from '../errors.js';
import { emailTaken, isEmailConflict } from './unique-email.js';
import { userSelect, type UserRow } from './user-select.js';

export interface NewUser {
  /** Already normalised (trimmed, lower-cased) by the input schema. */
  email: string;
  password: string;
  name: string;
  role?: Role;
  staffStatus?: StaffStatus;
  /** For accounts whose address an operator vouches for (the ADMIN_EMAIL bootstrap). */
  emailVerified?: boolean;
}

/**
 * Creates an account after the password policy: CONFLICT when the address is taken, BAD_REQUEST
 * naming `password` for a weak one. The audit row (`auditType`) is written with the user.
 */
export async function createUser(
  deps: Pick<AppDeps, 'db' | 'config'>,
  input: NewUser,
  audit: { type: string; meta: RequestMeta; detail?: Record<string, string> },
): Promise<UserRow> {
  const email = input.email.trim().toLowerCase();
  const problem = passwordProblem(input.password, email);
  if (problem) throw fieldError('password', problem);
  // Checked first so a taken address costs no bcrypt round; the unique index settles races.
  if (await deps.db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
  const passwordHash = await hashPassword(input.password, deps.config.bcryptCost);
  try {
    return await deps.db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          email,
          name: input.name,
          passwordHash,
          role: input.role ?? 'CUSTOMER',
          staffStatus: input.staffStatus ?? 'NONE',
          emailVerifiedAt: input.emailVerified ? new Date() : null,
        },
        select: userSelect,
      });
      await recordAuthEvent(
        tx,
        { type: audit.type, userId: user.id, email, detail: { role: user.role, staffStatus: user.staffStatus, ...audit.detail } },
        audit.meta,
      );
      return user;
    });
  } catch (error) {
    if (isEmailConflict(error)) throw emailTaken();
    throw error;
  }
}
