import { describe, expect, it } from 'vitest';
import { open, seal } from './secret-box.js';
import { checkTotp, newTotpSecret, totpCode, totpUri } from './totp.js';

describe('TOTP', () => {
  const now = 1_800_000_000;

  it('accepts the current code and one step of drift either way, nothing further', async () => {
    const secret = newTotpSecret();
    for (const drift of [-30, 0, 30]) {
      expect(await checkTotp(secret, await totpCode(secret, now + drift), null, now), `drift ${drift}`).not.toBeNull();
    }
    for (const drift of [-90, 90]) {
      expect(await checkTotp(secret, await totpCode(secret, now + drift), null, now), `drift ${drift}`).toBeNull();
    }
  });

  it('refuses a code whose time step was already used', async () => {
    const secret = newTotpSecret();
    const code = await totpCode(secret, now);
    const step = await checkTotp(secret, code, null, now);
    expect(step).toBe(Math.floor(now / 30));
    expect(await checkTotp(secret, code, step, now + 1)).toBeNull();
    // The next step's code still works.
    expect(await checkTotp(secret, await totpCode(secret, now + 30), step, now + 30)).toBe(step! + 1);
  });

  it('refuses malformed and wrong codes', async () => {
    const secret = newTotpSecret();
    const right = await totpCode(secret, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (const code of ['', '12345', '1234567', 'abcdef', wrong]) expect(await checkTotp(secret, code, null, now), code).toBeNull();
  });

  it('builds an otpauth URL an authenticator app reads', () => {
    const url = new URL(totpUri('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'ana@example.com'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(url.searchParams.get('issuer')).toBe('Tessera');
  });
});

describe('secret box', () => {
  const key = 'ab'.repeat(32);

  it('round-trips and never stores the plain text', () => {
    const sealed = seal('JBSWY3DPEHPK3PXP', key);
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(seal('JBSWY3DPEHPK3PXP', key)).not.toBe(sealed);
    expect(open(sealed, key)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a tampered box and a foreign key', () => {
    const sealed = seal('secret', key);
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => open([...parts.slice(0, 3), flipped.toString('base64url')].join('.'), key)).toThrow();
    expect(() => open(sealed, 'cd'.repeat(32))).toThrow();
    expect(() => open('garbage', key)).toThrow('not a sealed secret');
  });
});
