import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { AppError } from '../services/errors.js';

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: error.code satisfies TRPC_ERROR_CODE_KEY, message: error.message, cause: error });
}

interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** zod (or any Standard Schema) issues -> `{ fieldErrors: { "seats.0.row": [...] }, formErrors: [...] }`. */
export function issuesToFieldErrors(issues: readonly Issue[]) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    if (path.length === 0) formErrors.push(issue.message);
    else (fieldErrors[path.join('.')] ??= []).push(issue.message);
  }
  return { fieldErrors, formErrors };
}

export function validationIssues(cause: unknown): readonly Issue[] | null {
  if (cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues)) {
    return cause.issues as Issue[];
  }
  return null;
}
