import crypto, { type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const ISSUER = 'tessera';
export const AUDIENCE = 'tessera-api';
export const ACCESS_TOKEN_SECONDS = 15 * 60;

const ROLES = ['CUSTOMER', 'STAFF', 'ADMIN'] as const;
const STAFF_STATUSES = ['NONE', 'PENDING', 'APPROVED'] as const;

export interface AccessClaims {
  sub: string;
  /** Issued at, in seconds (set by signAccessToken). */
  iat?: number;
  role: (typeof ROLES)[number];
  /** Staff approval travels with the role, so staff checks need no lookup. */
  staffStatus: (typeof STAFF_STATUSES)[number];
  sid: string;
}

/**
 * The secret as a KeyObject, made once. Given a string, jsonwebtoken first tries to read it as a
 * PEM public key on every call (a thrown exception each time): that was 40% of the CPU of an
 * authenticated call that touches nothing else.
 */
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** Signs an access token that expires after 15 minutes, or at `notAfter` when that is sooner. */
export function signAccessToken(secret: string, claims: AccessClaims, notAfter?: Date): { token: string; expiresAt: Date } {
  const now = Math.floor(Date.now() / 1000);
  const cap = notAfter ? Math.floor(notAfter.getTime() / 1000) : Infinity;
  const exp = Math.min(now + ACCESS_TOKEN_SECONDS, cap);
  const token = jwt.sign({ ...claims, iat: now, exp }, keyFor(secret), { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
  return { token, expiresAt: new Date(exp * 1000) };
}

export type VerifiedClaims = AccessClaims & { iat: number; exp: number };

/**
 * The claims of a valid token, or null: bad signature, other algorithm, issuer or audience,
 * expired, malformed, or missing any of exp, iat, sub and sid (a token without exp would never
 * expire, even if signed with the right secret).
 */
export function verifyAccessToken(secret: string, token: string): VerifiedClaims | null {
  let payload: unknown;
  try {
    payload = jwt.verify(token, keyFor(secret), { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE });
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  const { sub, role, staffStatus, sid, iat, exp } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof sid !== 'string') return null;
  if (typeof iat !== 'number' || typeof exp !== 'number' || !Number.isFinite(iat) || !Number.isFinite(exp)) return null;
  if (!ROLES.includes(role as AccessClaims['role'])) return null;
  if (!STAFF_STATUSES.includes(staffStatus as AccessClaims['staffStatus'])) return null;
  return { sub, sid, iat, exp, role: role as AccessClaims['role'], staffStatus: staffStatus as AccessClaims['staffStatus'] };
}

/** Admission passes of the waiting room: signed with the same secret, for another audience, so neither token passes for the other. */
const PASS_AUDIENCE = 'tessera-admission';

export interface PassClaims {
  /** The account it admits. */
  sub: string;
  /** The event it admits to. */
  ev: string;
  /** The queue entry it was issued for (checked against the database on every use). */
  jti: string;
}

export function signAdmissionPass(secret: string, claims: PassClaims, expiresAt: Date): string {
  const now = Math.floor(Date.now() / 1000);
  const exp = Math.max(now + 1, Math.floor(expiresAt.getTime() / 1000));
  return jwt.sign({ ev: claims.ev, iat: now, exp }, keyFor(secret), {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: PASS_AUDIENCE,
    subject: claims.sub,
    jwtid: claims.jti,
  });
}

/** The claims of a pass that is well signed and not expired at `now`, or null. */
export function verifyAdmissionPass(secret: string, token: string, now: Date = new Date()): PassClaims | null {
  let payload: unknown;
  try {
    payload = jwt.verify(token, keyFor(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: PASS_AUDIENCE,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
  } catch {
    return null;
  }
  if (!payload || typeof payload !== 'object') return null;
  const { sub, ev, jti } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || typeof ev !== 'string' || typeof jti !== 'string') return null;
  return { sub, ev, jti };
}
