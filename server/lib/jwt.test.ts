import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_SECONDS, AUDIENCE, ISSUER, signAccessToken, verifyAccessToken } from './jwt.js';

const secret = 'a-secret-of-at-least-thirty-two-characters!';
const claims = { sub: crypto.randomUUID(), role: 'CUSTOMER', staffStatus: 'NONE', sid: crypto.randomUUID() } as const;
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('carry sub, role, sid, iat, exp, iss and aud, and expire after 15 minutes', () => {
    const { token, expiresAt } = signAccessToken(secret, claims);
    const decoded = jwt.decode(token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    const payload = decoded.payload as jwt.JwtPayload;
    expect(payload).toMatchObject({ ...claims, iss: ISSUER, aud: AUDIENCE });
    expect(payload.exp! - payload.iat!).toBe(ACCESS_TOKEN_SECONDS);
    expect(expiresAt.getTime()).toBe(payload.exp! * 1000);
    expect(verifyAccessToken(secret, token)).toEqual({ ...claims, iat: payload.iat, exp: payload.exp });
  });

  it('never outlive their session', () => {
    const end = new Date(Date.now() + 60_000);
    const { expiresAt } = signAccessToken(secret, claims, end);
    expect(expiresAt.getTime()).toBe(Math.floor(end.getTime() / 1000) * 1000);
  });

  it('a tampered payload is refused', () => {
    const [header, , signature] = signAccessToken(secret, claims).token.split('.');
    const forged = `${header}.${b64({ ...claims, role: 'ADMIN', iss: ISSUER, aud: AUDIENCE, iat: 1, exp: 9999999999 })}.${signature}`;
    expect(verifyAccessToken(secret, forged)).toBeNull();
  });

  it('a token signed with another secret is refused', () => {
    const { token } = signAccessToken('another-secret-another-secret-another-secret', claims);
    expect(verifyAccessToken(secret, token)).toBeNull();
  });

  it('alg "none" is refused', () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })}.`;
    expect(verifyAccessToken(secret, unsigned)).toBeNull();
  });

  it('another HMAC algorithm with the right secret is refused (the algorithm is pinned)', () => {
    const token = jwt.sign(claims, secret, { algorithm: 'HS512', issuer: ISSUER, audience: AUDIENCE, expiresIn: 600 });
    expect(verifyAccessToken(secret, token)).toBeNull();
  });

  it('an expired token is refused', () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ ...claims, iat: now - 1000, exp: now - 10 }, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    expect(verifyAccessToken(secret, token)).toBeNull();
  });

  it('another issuer or audience is refused, and so are missing or unknown claims', () => {
    const sign = (payload: object, options: jwt.SignOptions) => jwt.sign(payload, secret, { algorithm: 'HS256', expiresIn: 600, ...options });
    expect(verifyAccessToken(secret, sign(claims, { issuer: 'someone-else', audience: AUDIENCE }))).toBeNull();
    expect(verifyAccessToken(secret, sign(claims, { issuer: ISSUER, audience: 'other-api' }))).toBeNull();
    expect(verifyAccessToken(secret, sign({ ...claims, role: 'ROOT' }, { issuer: ISSUER, audience: AUDIENCE }))).toBeNull();
    const { sid: _sid, ...noSid } = claims;
    expect(verifyAccessToken(secret, sign(noSid, { issuer: ISSUER, audience: AUDIENCE }))).toBeNull();
    expect(verifyAccessToken(secret, 'not.a.jwt')).toBeNull();
  });

  it('a token without exp or iat is refused even with the right secret (it would never expire)', () => {
    const noExp = jwt.sign(claims, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE });
    expect(jwt.decode(noExp)).not.toHaveProperty('exp');
    expect(verifyAccessToken(secret, noExp)).toBeNull();
    const noIat = jwt.sign(claims, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 600, noTimestamp: true });
    expect(jwt.decode(noIat)).not.toHaveProperty('iat');
    expect(verifyAccessToken(secret, noIat)).toBeNull();
    const both = jwt.sign(claims, secret, { algorithm: 'HS256', issuer: ISSUER, audience: AUDIENCE, expiresIn: 600 });
    expect(verifyAccessToken(secret, both)).toMatchObject(claims);
  });
});
