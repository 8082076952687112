import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import { open } from '../../lib/secret-box.js';
import { checkTotp } from '../../lib/totp.js';
import { hashToken } from '../../lib/tokens.js';

export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet: no 0/O or 1/I/L to misread when typing a code from paper.
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** "XXXXX-XXXXX": 10 symbols of a 30-letter alphabet, about 49 bits each, shown once. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const symbols = Array.from(crypto.randomBytes(10), (b) => ALPHABET[b % ALPHABET.length]).join('');
    return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
  });
}

/** Recovery codes are compared case-insensitively and without the dash or spaces. */
export function recoveryCodeHash(code: string): string {
  return hashToken(code.toUpperCase().replace(/[\s-]/g, ''));
}

/**
 * Checks a second factor for a user with MFA on: a TOTP code (each time step accepted once,
 * atomically, so two requests with the same code cannot both pass) or an unused recovery code
 * (used up atomically). Returns what was used, or null.
 */
export async function useSecondFactor(
  db: Db,
  user: { id: string; mfaSecret: string | null; mfaLastStep: number | null },
  code: string,
  encryptionKey: string,
): Promise<'totp' | 'recovery' | null> {
  const trimmed = code.trim();
  if (!user.mfaSecret) return null;
  if (/^\d{6}$/.test(trimmed)) {
    const step = await checkTotp(open(user.mfaSecret, encryptionKey), trimmed, user.mfaLastStep);
    if (step === null) return null;
    const { count } = await db.user.updateMany({
      where: { id: user.id, OR: [{ mfaLastStep: null }, { mfaLastStep: { lt: step } }] },
      data: { mfaLastStep: step },
    });
    return count === 1 ? 'totp' : null;
  }
  if (trimmed.length > 40) return null;
  const { count } = await db.mfaRecoveryCode.updateMany({
    where: { userId: user.id, codeHash: recoveryCodeHash(trimmed), usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? 'recovery' : null;
}
