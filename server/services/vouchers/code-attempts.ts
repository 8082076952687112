import type { AppDeps } from '../../deps.js';
import { tooManyAttempts } from '../auth/sign-in-throttle.js';
import { AppError } from '../errors.js';

/**
 * Wrong codes one caller (a signed-in user, else a client address) may try in ten minutes: enough
 * for typos, far too few to guess codes. Counted in the shared attempt counters (Redis, or the
 * database), so every instance sees the same count.
 */
export const CODE_ATTEMPTS = { max: 20, windowMs: 10 * 60_000 } as const;

const keyOf = (who: string) => `voucher:${who}`;

/**
 * Runs `work` that uses `code`, counting the try first (atomically, so parallel guesses cannot
 * slip past a stale count) and refusing it past the limit with TOO_MANY_ATTEMPTS. Only a code that
 * is not valid keeps its count: any other outcome (it worked, or the seats were taken) gives the
 * try back. Without a code, `work` just runs.
 */
export async function withCodeAttempt<T>(
  deps: Pick<AppDeps, 'counters'>,
  who: string,
  code: string | undefined | null,
  work: () => Promise<T>,
): Promise<T> {
  if (!code) return work();
  const key = keyOf(who);
  const hit = await deps.counters.hit([{ key, ...CODE_ATTEMPTS }]);
  if (!hit.ok) throw tooManyAttempts(hit.retryAfterMs);
  try {
    const result = await work();
    await deps.counters.give([{ key }]);
    return result;
  } catch (error) {
    // A presale code that unlocks nothing counts as a wrong code: guessing presale codes is limited too.
    if (!(error instanceof AppError && (error.reason === 'VOUCHER_INVALID' || error.reason === 'SEATS_LOCKED'))) await deps.counters.give([{ key }]);
    throw error;
  }
}
