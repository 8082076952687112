import { generate, generateSecret, generateURI, verify } from 'otplib';

const PERIOD = 30;

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, account: string): string {
  return generateURI({ issuer: 'Tessera', label: account, secret });
}

/** The current code; tests and the SDK examples use it, the server only verifies. */
export function totpCode(secret: string, epochSeconds = Date.now() / 1000): Promise<string> {
  return generate({ secret, epoch: Math.floor(epochSeconds) });
}

/**
 * Checks a 6-digit code with one 30 s step of clock drift either way. Returns the time step the
 * code belongs to, or null. Codes of `lastStep` or earlier are refused, so a code works once.
 */
export async function checkTotp(secret: string, code: string, lastStep: number | null, epochSeconds = Date.now() / 1000): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(epochSeconds),
    epochTolerance: PERIOD,
    ...(lastStep === null ? {} : { afterTimeStep: lastStep }),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
