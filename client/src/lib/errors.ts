import { isTRPCClientError } from '@trpc/client';
import type { Seat } from './api-types';

/** What the server's errorFormatter adds to `error.data` (API.md, "Errors"). */
interface ErrorData {
  code?: string;
  httpStatus?: number;
  fieldErrors?: Record<string, string[]>;
  formErrors?: string[];
  unavailable?: Seat[];
}

function dataOf(error: unknown): ErrorData {
  if (isTRPCClientError(error) && error.data && typeof error.data === 'object') return error.data as ErrorData;
  return {};
}

export function errorCode(error: unknown): string | undefined {
  return dataOf(error).code;
}

export function httpStatusOf(error: unknown): number | undefined {
  return dataOf(error).httpStatus;
}

export function isUnauthorized(error: unknown): boolean {
  const data = dataOf(error);
  return data.code === 'UNAUTHORIZED' || data.httpStatus === 401;
}

/** Per-field messages for a form; keys are the input's field paths ("seats.0.row"). */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  return dataOf(error).fieldErrors ?? {};
}

export function unavailableSeatsOf(error: unknown): Seat[] {
  return dataOf(error).unavailable ?? [];
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
  return error instanceof Error ? error.message : String(error);
}
