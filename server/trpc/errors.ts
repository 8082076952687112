import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { issuesToFieldErrors } from '../../shared/field-errors.js';
import type { AppError } from '../services/errors.js';

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: error.code satisfies TRPC_ERROR_CODE_KEY, message: error.message, cause: error });
}

type Issue = Parameters<typeof issuesToFieldErrors>[0][number];

/** The validation issues behind a BAD_REQUEST from an input parser, or null. */
export function validationIssues(cause: unknown): readonly Issue[] | null {
  if (cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues)) {
    return cause.issues as Issue[];
  }
  return null;
}
