/**
 * The per-account slow-down: the first few failures are free, then each further failure doubles
 * the wait before the account accepts another attempt, up to a cap. An account is never locked for
 * good: after the cap it takes one attempt per window, and a day without failures starts afresh.
 */
export const FREE_FAILURES = 4;
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 15 * 60;
export const FORGET_FAILURES_AFTER_MS = 24 * 60 * 60 * 1000;

export interface FailureRecord {
  failedLogins: number;
  lastFailedAt: Date | null;
}

/** Failures that still count: old ones are forgiven. */
export function countedFailures(record: FailureRecord, now = new Date()): number {
  if (!record.lastFailedAt || now.getTime() - record.lastFailedAt.getTime() > FORGET_FAILURES_AFTER_MS) return 0;
  return record.failedLogins;
}

/** Seconds to wait before this account may try again; 0 when it may try now. */
export function retryAfterSeconds(record: FailureRecord, now = new Date()): number {
  const failures = countedFailures(record, now);
  if (failures <= FREE_FAILURES || !record.lastFailedAt) return 0;
  const delay = Math.min(FIRST_DELAY_SECONDS * 2 ** (failures - FREE_FAILURES - 1), MAX_DELAY_SECONDS);
  const waited = (now.getTime() - record.lastFailedAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(delay - waited));
}

/** The change one more failure makes: forgiven failures restart the count, otherwise it grows in
 * the database (an increment, so parallel attempts all count). */
export function oneMoreFailure(record: FailureRecord, now = new Date()) {
  return { failedLogins: countedFailures(record, now) === 0 ? { set: 1 } : { increment: 1 }, lastFailedAt: now };
}
