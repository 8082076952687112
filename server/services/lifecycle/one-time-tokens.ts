import type { Db } from '../../db/database.js';
import type { TokenPurpose } from '../../generated/prisma/enums.js';
import { hashToken, randomToken } from '../../lib/tokens.js';

export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 60 * 60 * 1000,
  RESET_PASSWORD: 60 * 60 * 1000,
  MFA_LOGIN: 5 * 60 * 1000,
  UNLOCK_ACCOUNT: 60 * 60 * 1000,
};

/**
 * Issues a single-use token (256 random bits; only its sha256 is stored). Older unused tokens of
 * the same purpose for the same user stop working: only the newest link in the inbox counts.
 */
export async function issueOneTimeToken(
  db: Db,
  input: { userId: string; purpose: TokenPurpose; email?: string },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS[input.purpose]);
  await db.$transaction([
    db.oneTimeToken.updateMany({
      where: { userId: input.userId, purpose: input.purpose, usedAt: null },
      data: { usedAt: now },
    }),
    db.oneTimeToken.create({
      data: { userId: input.userId, purpose: input.purpose, tokenHash: hashToken(token), email: input.email ?? null, expiresAt },
      select: { id: true },
    }),
  ]);
  return { token, expiresAt };
}

export interface LiveToken {
  id: string;
  userId: string;
  email: string | null;
}

/** The token's record when it is unused and unexpired; null otherwise. Does not use it up. */
export async function findLiveToken(db: Db, token: string, purpose: TokenPurpose): Promise<LiveToken | null> {
  if (token.length > 200) return null;
  return db.oneTimeToken.findFirst({
    where: { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, userId: true, email: true },
  });
}

/**
 * Uses the token up. Conditional on it still being unused and unexpired, so of two concurrent
 * uses exactly one wins; pass a transaction client to tie it to the change it authorises.
 */
export async function consumeToken(db: Pick<Db, 'oneTimeToken'>, id: string): Promise<boolean> {
  const { count } = await db.oneTimeToken.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1;
}
