import fs from 'node:fs';
import bcrypt from 'bcrypt';
import { describe, expect, it, vi } from 'vitest';
import { bcryptJobs, passwordProblem, verifyPassword } from './passwords.js';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('correct horse battery staple', 'ann@example.com')).toBeNull();
  });

  it('refuses fewer than 8 characters and more than 72 bytes', () => {
    expect(passwordProblem('Xy7#kq2', 'ann@example.com')).toMatch(/at least 8/);
    expect(passwordProblem('x'.repeat(72), 'ann@example.com')).toBeNull();
    expect(passwordProblem('x'.repeat(73), 'ann@example.com')).toMatch(/72 bytes/);
    // 25 three-byte characters are 75 bytes.
    expect(passwordProblem('€'.repeat(25), 'ann@example.com')).toMatch(/72 bytes/);
  });

  it('refuses the most common passwords whatever their case', () => {
    for (const common of ['password', 'PASSWORD', '12345678', 'iloveyou', 'Sunshine', 'football1']) {
      expect(passwordProblem(common, 'ann@example.com'), common).toMatch(/too common/);
    }
  });

  it('refuses the email address and its local part', () => {
    expect(passwordProblem('Ann.Lovelace@Example.com', 'ann.lovelace@example.com')).toMatch(/email/);
    expect(passwordProblem('ann.lovelace', 'ann.lovelace@example.com')).toMatch(/email/);
  });
});

describe('password checks', () => {
  it('hashes and compares in the worker pool, at a lower CPU priority than the event loop', async () => {
    const hash = await bcryptJobs.hash('a pooled password', 4);
    expect(await bcrypt.compare('a pooled password', hash)).toBe(true);
    expect(await bcryptJobs.compare('a pooled password', hash)).toBe(true);
    expect(await bcryptJobs.compare('another password', hash)).toBe(false);
    if (process.platform === 'linux') {
      // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value.
      const nice = fs
        .readdirSync('/proc/self/task')
        .map((tid) => Number(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
      expect(nice).toContain(19);
      expect(nice).toContain(0);
    }
  });

  it('matches the right password only, and never one past the 72 bytes bcrypt reads', async () => {
    const hash = await bcrypt.hash('a'.repeat(72), 4);
    expect(await verifyPassword('a'.repeat(72), hash, 4)).toBe(true);
    expect(await verifyPassword('a'.repeat(71), hash, 4)).toBe(false);
    expect(await verifyPassword(`${'a'.repeat(72)}b`, hash, 4)).toBe(false);
  });

  // Equal cost is shown by the work done, not by a stopwatch (shared machines are noisy): an unknown
  // account or an over-long password runs exactly one bcrypt comparison at the configured cost.
  it('an unknown account runs the same bcrypt comparison as a wrong password', async () => {
    const hash = await bcrypt.hash('the real password', 6);
    const compare = vi.spyOn(bcryptJobs, 'compare');
    try {
      expect(await verifyPassword('a wrong password', hash, 6)).toBe(false);
      expect(await verifyPassword('a wrong password', null, 6)).toBe(false);
      expect(await verifyPassword('x'.repeat(80), hash, 6)).toBe(false);
      expect(compare).toHaveBeenCalledTimes(3);
      for (const [, against] of compare.mock.calls) expect(String(against)).toMatch(/^\$2[aby]\$06\$/);
    } finally {
      compare.mockRestore();
    }
  });
});
