/**
 * Domain errors. Services throw `new AppError(reason, message, data)`: the reason says what went
 * wrong in the domain's words and reaches clients as `error.data.reason`; this table alone decides
 * the tRPC code (and so the HTTP status) each reason is answered with.
 */
export const REASONS = {
  INVALID_INPUT: 'BAD_REQUEST',
  WRONG_PASSWORD: 'BAD_REQUEST',
  WRONG_CODE: 'BAD_REQUEST',
  LINK_INVALID: 'BAD_REQUEST',
  IMAGE_UNREADABLE: 'BAD_REQUEST',
  IMAGE_TOO_LARGE: 'BAD_REQUEST',
  MIXED_CURRENCIES: 'BAD_REQUEST',
  MFA_NOT_SET_UP: 'BAD_REQUEST',
  PAYMENT_METHOD_NOT_OFFERED: 'BAD_REQUEST',

  SIGN_IN_REQUIRED: 'UNAUTHORIZED',
  INVALID_CREDENTIALS: 'UNAUTHORIZED',
  SESSION_ENDED: 'UNAUTHORIZED',
  SECOND_FACTOR_REQUIRED: 'UNAUTHORIZED',
  SECOND_FACTOR_WRONG: 'UNAUTHORIZED',
  CHALLENGE_EXPIRED: 'UNAUTHORIZED',

  NOT_ALLOWED: 'FORBIDDEN',
  TRANSFER_OTHER_ADDRESS: 'FORBIDDEN',
  QUEUE_PASS_REQUIRED: 'FORBIDDEN',

  USER_NOT_FOUND: 'NOT_FOUND',
  SESSION_NOT_FOUND: 'NOT_FOUND',
  EVENT_NOT_FOUND: 'NOT_FOUND',
  ORDER_NOT_FOUND: 'NOT_FOUND',
  TICKET_NOT_FOUND: 'NOT_FOUND',
  VOUCHER_NOT_FOUND: 'NOT_FOUND',
  WAITING_ENTRY_NOT_FOUND: 'NOT_FOUND',
  TRANSFER_NOT_FOUND: 'NOT_FOUND',
  SEATS_MISSING: 'NOT_FOUND',
  TIER_NOT_FOUND: 'NOT_FOUND',
  TEMPLATE_NOT_FOUND: 'NOT_FOUND',

  EMAIL_TAKEN: 'CONFLICT',
  NOT_A_STAFF_ACCOUNT: 'CONFLICT',
  MFA_ALREADY_ON: 'CONFLICT',
  MFA_SETUP_CHANGED: 'CONFLICT',
  EVENT_CANCELLED: 'CONFLICT',
  SALES_CLOSED: 'CONFLICT',
  SEATS_UNAVAILABLE: 'CONFLICT',
  SEATS_LOCKED: 'CONFLICT',
  SEATS_EXIST: 'CONFLICT',
  HOLD_LIMIT: 'CONFLICT',
  NO_ADJACENT_SEATS: 'CONFLICT',
  TIER_IN_USE: 'CONFLICT',
  IDEMPOTENCY_KEY_REUSED: 'CONFLICT',
  ORDER_NOT_CANCELLABLE: 'CONFLICT',
  ORDER_CANCELLED: 'CONFLICT',
  PAY_LATER_CLOSED: 'CONFLICT',
  ORDER_NOT_PAYABLE: 'CONFLICT',
  ORDER_NOT_PAID: 'CONFLICT',
  TICKET_NOT_REFUNDABLE: 'CONFLICT',
  VOUCHER_INVALID: 'CONFLICT',
  VOUCHER_NOT_APPLICABLE: 'CONFLICT',
  VOUCHER_USED_UP: 'CONFLICT',
  VOUCHER_LIMIT_REACHED: 'CONFLICT',
  VOUCHER_CODE_TAKEN: 'CONFLICT',
  SEATS_FREE: 'CONFLICT',
  TRANSFERS_OFF: 'CONFLICT',
  TICKET_NOT_TRANSFERABLE: 'CONFLICT',
  TRANSFER_NOT_AVAILABLE: 'CONFLICT',
  CHANGED_MEANWHILE: 'CONFLICT',
  BUSY: 'CONFLICT',
  QUEUE_STARTED: 'CONFLICT',

  TOO_MANY_ATTEMPTS: 'TOO_MANY_REQUESTS',
  DATABASE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;

export type Reason = keyof typeof REASONS;
export type AppErrorCode = (typeof REASONS)[Reason];

export class AppError extends Error {
  override name = 'AppError';
  /** The tRPC code this error is answered with, from REASONS. */
  readonly code: AppErrorCode;

  constructor(
    readonly reason: Reason,
    message: string,
    /** Extra fields for the client, merged into `error.data` (e.g. fieldErrors, unavailable). */
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.code = REASONS[reason];
  }
}

/** A validation error on one field, shaped like zod's so clients show it beside the field. */
export function fieldError(field: string, message: string): AppError {
  return new AppError('INVALID_INPUT', message, { fieldErrors: { [field]: [message] } });
}

/** How long a client should wait before trying again while the database cannot be reached. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function databaseUnavailable(): AppError {
  return new AppError('DATABASE_UNAVAILABLE', "We'll be right back: Tessera is briefly unavailable. Please try again in a few seconds.", {
    retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
  });
}
