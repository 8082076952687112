import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../test/app.js';
import { createUser } from '../test/users.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/whoami.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

it('scripts/whoami.ts prints the signed-in user and ends its session', async () => {
  const u = await createUser(t, { name: 'Who Am I' });
  const result = await run({ TESSERA_URL: t.url, TESSERA_EMAIL: u.email, TESSERA_PASSWORD: u.password });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ id: u.id, email: u.email, name: 'Who Am I', role: 'CUSTOMER' });
  expect(await t.app.deps.db.session.count({ where: { userId: u.id, revokedAt: null } })).toBe(0);
});

it('scripts/whoami.ts says what is wrong and exits 1 with bad credentials', async () => {
  const result = await run({ TESSERA_URL: t.url, TESSERA_EMAIL: 'nobody@example.com', TESSERA_PASSWORD: 'wrong password' });
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('Invalid email or password');
});
