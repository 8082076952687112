import type { Db } from '../../db/database.js';
import { ACCESS_TOKEN_SECONDS } from '../../lib/jwt.js';

/** Sessions revoked recently enough that an access token of theirs may still be unexpired. */
export function recentlyRevokedSessions(db: Db): Promise<{ id: string; revokedAt: Date }[]> {
  return db.session
    .findMany({
      where: { revokedAt: { gte: new Date(Date.now() - ACCESS_TOKEN_SECONDS * 1000) } },
      select: { id: true, revokedAt: true },
    })
    .then((rows) => rows.map((r) => ({ id: r.id, revokedAt: r.revokedAt! })));
}

/** The database's word on one session, when the shared revocation list cannot answer: gone counts as revoked. */
export async function isSessionRevoked(db: Db, sessionId: string): Promise<boolean> {
  const session = await db.session.findUnique({ where: { id: sessionId }, select: { revokedAt: true, expiresAt: true } });
  return !session || session.revokedAt !== null || session.expiresAt <= new Date();
}
