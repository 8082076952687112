import { isTRPCClientError } from '@trpc/client';
import { z } from 'zod';

/** Messages per input field, keyed by the field's path ("seats.0.row"), as the server sends them. */
export type FieldErrors = Record<string, string[]>;

/**
 * What the server's errorFormatter adds to `error.data` (API.md, "Errors"). Read through a schema:
 * a field that is missing or of another shape counts as absent, never as something it is not.
 */
const errorData = z.object({
  code: z.string().optional().catch(undefined),
  /** The domain's word for what went wrong (TRANSFER_NOT_FOUND, ...); INVALID_INPUT for a refused input. */
  reason: z.string().optional().catch(undefined),
  httpStatus: z.number().optional().catch(undefined),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional().catch(undefined),
  formErrors: z.array(z.string()).optional().catch(undefined),
  unavailable: z
    .array(z.object({ row: z.string(), number: z.number() }))
    .optional()
    .catch(undefined),
  /** SEATS_LOCKED: seats of a presale that the code sent (if any) does not unlock. */
  locked: z
    .array(z.object({ row: z.string(), number: z.number() }))
    .optional()
    .catch(undefined),
});
type ErrorData = z.output<typeof errorData>;

function dataOf(error: unknown): ErrorData {
  if (!isTRPCClientError(error)) return {};
  const parsed = errorData.safeParse(error.data);
  return parsed.success ? parsed.data : {};
}

/** The HTTP status the server answered with, when the error came from the server. */
export function httpStatusOf(error: unknown): number | undefined {
  return dataOf(error).httpStatus;
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error).code;
}

/** The domain's reason for the refusal (server/services/errors.ts), when the server gave one. */
export function reasonOf(error: unknown): string | undefined {
  return dataOf(error).reason;
}

export function isUnauthorized(error: unknown): boolean {
  const data = dataOf(error);
  return data.code === 'UNAUTHORIZED' || data.httpStatus === 401;
}

/** Per-field messages for a form. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  return dataOf(error).fieldErrors ?? {};
}

/** Seats a hold or purchase could not get because someone else has them. */
export function unavailableSeatsOf(error: unknown): NonNullable<ErrorData['unavailable']> {
  return dataOf(error).unavailable ?? [];
}

/** Seats a hold or purchase could not get because they are in a presale the caller's code does not unlock. */
export function lockedSeatsOf(error: unknown): NonNullable<ErrorData['locked']> {
  return dataOf(error).locked ?? [];
}

/** The server's message for people; a network failure gets a plain sentence instead. */
export function errorMessage(error: unknown): string {
  if (!error) return '';
  if (isTRPCClientError(error)) {
    if (error.message === 'Failed to fetch' || error.message.startsWith('NetworkError')) {
      return 'The server could not be reached. Check your connection and try again.';
    }
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'Something went wrong. Please try again.';
}
