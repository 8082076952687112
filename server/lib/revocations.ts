import type { Redis } from 'ioredis';
import { ACCESS_TOKEN_SECONDS } from './jwt.js';

/**
 * Revoked sessions whose access tokens may still be unexpired. An access token lives at most
 * ACCESS_TOKEN_SECONDS, so an entry is kept that long after the revocation and then forgotten.
 */
export interface Revocations {
  /** From the moment this resolves, every instance refuses these sessions' access tokens. */
  revoke(sessionIds: readonly string[]): Promise<void>;
  isRevoked(sessionId: string): Promise<boolean>;
}

const TTL_MS = ACCESS_TOKEN_SECONDS * 1000;

/** Expiring set of session ids held in this process. */
class LocalSet {
  private readonly until = new Map<string, number>();

  add(sessionId: string, untilMs: number) {
    if (untilMs > (this.until.get(sessionId) ?? 0)) this.until.set(sessionId, untilMs);
    if (this.until.size > 1000) this.prune();
  }

  has(sessionId: string): boolean {
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.until.delete(sessionId);
    return false;
  }

  private prune() {
    const now = Date.now();
    for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
  }
}

/**
 * One instance: the process itself is the whole truth. `recent` seeds it at start with sessions
 * revoked in the last ACCESS_TOKEN_SECONDS, so a restart forgets nothing that still matters.
 */
export function inProcessRevocations(recent: readonly { id: string; revokedAt: Date }[] = []): Revocations {
  const set = new LocalSet();
  for (const r of recent) set.add(r.id, r.revokedAt.getTime() + TTL_MS);
  return {
    async revoke(sessionIds) {
      const until = Date.now() + TTL_MS;
      for (const id of sessionIds) set.add(id, until);
    },
    async isRevoked(sessionId) {
      return set.has(sessionId);
    },
  };
}

/**
 * Several instances: Redis is the shared truth. A revocation is a key with a TTL, written before
 * revoke() resolves; every authenticated request asks Redis (one EXISTS, ~0.1 ms on a LAN), so a
 * logout on one instance holds on all of them from the next request on, with no propagation window
 * (pub/sub would have one). Positive answers are cached here. The caller has already marked the
 * sessions revoked in the database, which is what decides while Redis cannot be reached
 * (`fallback`): an outage neither lets revoked tokens through nor signs everybody out. A write that
 * fails is reported (`onError`), not thrown, since the database already holds it.
 */
export function redisRevocations(
  redis: Redis,
  options: { prefix: string; fallback: (sessionId: string) => Promise<boolean>; onError?: (error: unknown) => void },
): Revocations {
  const cache = new LocalSet();
  const key = (id: string) => `${options.prefix}revoked:${id}`;
  const up = () => redis.status === 'ready';
  return {
    async revoke(sessionIds) {
      const until = Date.now() + TTL_MS;
      for (const id of sessionIds) cache.add(id, until);
      if (sessionIds.length === 0) return;
      try {
        if (!up()) throw new Error(`Redis is ${redis.status}`);
        const pipeline = redis.pipeline();
        for (const id of sessionIds) pipeline.set(key(id), '1', 'PX', TTL_MS);
        const results = await pipeline.exec();
        const failed = results?.find(([error]) => error);
        if (failed) throw failed[0];
      } catch (error) {
        options.onError?.(error);
      }
    },
    async isRevoked(sessionId) {
      if (cache.has(sessionId)) return true;
      if (!up()) return options.fallback(sessionId);
      let revoked: boolean;
      try {
        revoked = (await redis.exists(key(sessionId))) === 1;
      } catch (error) {
        options.onError?.(error);
        return options.fallback(sessionId);
      }
      if (revoked) cache.add(sessionId, Date.now() + TTL_MS);
      return revoked;
    },
  };
}
