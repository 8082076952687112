import { describe, expect, it } from 'vitest';
import { MAX_DELAY_SECONDS, retryAfterSeconds } from './login-throttle.js';

const now = new Date('2026-11-23T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('per-account slow-down', () => {
  it('lets the first four failures through at once', () => {
    expect(retryAfterSeconds({ failedLogins: 4, lastFailedAt: ago(0) }, now)).toBe(0);
  });

  it('then doubles the wait with each failure', () => {
    expect(retryAfterSeconds({ failedLogins: 5, lastFailedAt: ago(0) }, now)).toBe(30);
    expect(retryAfterSeconds({ failedLogins: 6, lastFailedAt: ago(0) }, now)).toBe(60);
    expect(retryAfterSeconds({ failedLogins: 7, lastFailedAt: ago(10) }, now)).toBe(110);
  });

  it('never waits longer than the cap, so an account is never locked for good', () => {
    expect(retryAfterSeconds({ failedLogins: 500, lastFailedAt: ago(0) }, now)).toBe(MAX_DELAY_SECONDS);
    expect(retryAfterSeconds({ failedLogins: 500, lastFailedAt: ago(MAX_DELAY_SECONDS) }, now)).toBe(0);
  });

  it('forgives failures older than a day', () => {
    expect(retryAfterSeconds({ failedLogins: 9, lastFailedAt: ago(25 * 3600) }, now)).toBe(0);
  });
});
