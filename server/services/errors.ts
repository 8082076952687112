/** Domain errors: services throw these; server/trpc/errors.ts alone maps them to tRPC codes. */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PAYLOAD_TOO_LARGE';

export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Extra fields for the client, merged into `error.data` (e.g. fieldErrors, unavailable). */
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A validation error on one field, shaped like zod's so clients show it beside the field. */
export function fieldError(field: string, message: string): AppError {
  return new AppError('BAD_REQUEST', message, { fieldErrors: { [field]: [message] } });
}
