import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt reads only the first 72 bytes; longer passwords would be silently truncated. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * bcrypt runs in its own pool of worker threads, one per core, at the lowest CPU priority (nice
 * 19, per thread, on Linux): a storm of sign-ins then uses every idle cycle of the machine, yet
 * the event loop is scheduled first whenever it has work, so other requests do not wait behind
 * it. (On libuv's pool, bcrypt threads competed with the event loop as equals.) Started on first use.
 */
let pool: Piscina | null = null;
function passwordPool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./password-worker.mjs', import.meta.url).href,
    minThreads: 1,
    maxThreads: Math.max(1, os.availableParallelism()),
    niceIncrement: 19,
    idleTimeout: 60_000,
    // The worker is plain JavaScript: it needs none of the parent's loaders (tsx, preloads).
    execArgv: [],
  });
  return pool;
}

/** Stops the pool's threads (they would keep a process alive only while busy; tests and stops call this). */
export async function closePasswordPool(): Promise<void> {
  const closing = pool;
  pool = null;
  await closing?.close();
}

/** The two jobs the pool does (an object, so a test can count the comparisons it is given). */
export const bcryptJobs = {
  hash: (password: string, cost: number) => passwordPool().run({ password, cost }, { name: 'hash' }) as Promise<string>,
  compare: (password: string, hash: string) => passwordPool().run({ password, hash }, { name: 'compare' }) as Promise<boolean>,
};

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcryptJobs.hash(password, cost);
}

const dummyHashes = new Map<number, Promise<string>>();

/** A hash of a random password at this cost: unknown emails are compared against it, so they take as long. */
export function dummyHash(cost: number): Promise<string> {
  let hash = dummyHashes.get(cost);
  if (!hash) {
    hash = hashPassword(crypto.randomBytes(24).toString('base64url'), cost);
    dummyHashes.set(cost, hash);
  }
  return hash;
}

/**
 * Compares in constant work: with no hash (unknown account) or an over-long password it still runs
 * one bcrypt comparison at `cost`, and then answers false.
 */
export async function verifyPassword(password: string, hash: string | null, cost: number): Promise<boolean> {
  const usable = hash !== null && Buffer.byteLength(password, 'utf8') <= PASSWORD_MAX_BYTES;
  const ok = await bcryptJobs.compare(password, usable ? hash : await dummyHash(cost));
  return usable && ok;
}

let common: Set<string> | null = null;

/**
 * The 10,000 most common passwords, lower-cased, most common first. Source: the frequency-ordered
 * password dictionary of @zxcvbn-ts/language-common 4.1.3 (src/passwords.json, MIT), first
 * 10,000 distinct entries after lower-casing.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(
    fs
      .readFileSync(path.join(import.meta.dirname, 'data', 'common-passwords.txt'), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  return common;
}

/** Why this password may not be used for this account, in words for the form; null when it is fine. */
export function passwordProblem(password: string, email: string): string | null {
  if ([...password].length < PASSWORD_MIN_CHARS) return `Use at least ${PASSWORD_MIN_CHARS} characters.`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `Use at most ${PASSWORD_MAX_BYTES} bytes (accented letters and emoji count as several).`;
  }
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return 'This password is too common. Choose one that is harder to guess.';
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  if (lower === address || (local.length > 0 && lower === local)) return 'Do not use your email address as your password.';
  return null;
}
