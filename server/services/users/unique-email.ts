import { Prisma } from '../../generated/prisma/client.js';
import { AppError } from '../errors.js';

export function emailTaken(): AppError {
  return new AppError('EMAIL_TAKEN', 'An account with this email already exists.', {
    fieldErrors: { email: ['An account with this email already exists.'] },
  });
}

/** A unique violation on User.email (two requests racing for one address). */
export function isEmailConflict(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
