import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../test/config.js';
import { startServer } from './main.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs the real entry point (server/main-cli.ts) with the given environment; resolves on exit. */
function runEntry(
  env: Record<string, string>,
  onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main-cli.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-main-')), ...env },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      onOutput?.(stdout, child);
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

describe('start-up', () => {
  it.each([
    [{ PORT: 'abc' }, /^Invalid setting PORT: .*\(got "abc"\)$/],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, /^Invalid setting DATABASE_URL: expected postgres:\/\/.*\(got "mysql:\/\/root@localhost\/db"\)$/],
    [{ NODE_ENV: 'production' }, /^Invalid setting JWT_SECRET: required in production/],
  ])('a bad setting stops start-up with one clear line: %o', async (env, line) => {
    const result = await runEntry(env);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(line);
  });

  it('migrates, serves, and on stop finishes the request in flight, refuses new ones and closes the database', async () => {
    let entered!: () => void;
    const arrived = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const server = await startServer(testConfig({ port: 0 }), {
      extend: async (app) => {
        app.get('/slow', async () => {
          entered();
          await gate;
          return { done: true };
        });
      },
    });
    const address = server.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    expect(await (await fetch(`${url}/trpc/health`)).json()).toMatchObject({ result: { data: { status: 'ok', database: 'pglite' } } });

    const inFlight = fetch(`${url}/slow`);
    await arrived;
    const stopped = server.stop();
    const refused = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.status,
      (e: unknown) => e,
    );
    // Either the listener is already closed or Fastify answers 503 while draining.
    expect(refused === 503 || refused instanceof Error).toBe(true);
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await stopped;
    await expect(server.db.prisma.user.count()).rejects.toThrow();
  });

  it('stops at once after answering requests whose bodies it never read (429, 413)', async () => {
    const server = await startServer(testConfig({ port: 0, authRateLimitPerMinute: 1 }));
    const address = server.app.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const post = (body: string) =>
      fetch(`${url}/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status);
    const login = JSON.stringify({ email: 'x@example.com', password: 'not this' });
    expect([await post(login), await post(login), await post('x'.repeat(3_000_000))]).toEqual([401, 429, 413]);
    // Without closing such connections, stop() would wait out the keep-alive timeout (72 s).
    const stopped = await Promise.race([server.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]);
    expect(stopped).toBe('stopped');
  });

  it.each([
    ['SIGTERM', 'Server listening'],
    ['SIGINT', 'Server listening'],
    // While migrations still run: the stop waits for the start to finish.
    ['SIGTERM', 'applied migration'],
  ] as const)('on %s after "%s" the real process shuts down cleanly with exit code 0', async (signal, after) => {
    let sent = false;
    const result = await runEntry(
      {
        DATABASE_URL: 'pglite:memory',
        PORT: '0',
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        MFA_ENCRYPTION_KEY: 'ab'.repeat(32),
        LOG_LEVEL: 'info',
      },
      (stdout, child) => {
        if (!sent && stdout.includes(after)) {
          sent = true;
          child.kill(signal);
        }
      },
    );
    expect(sent).toBe(true);
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toContain('shutting down');
    // Where the time went, stage by stage, for a start or stop that ever hangs.
    const lines = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; stagesMs?: Record<string, number>; ms?: number });
    const started = lines.find((l) => l.msg === 'started');
    const stopped = lines.find((l) => l.msg === 'stopped');
    expect(Object.keys(started?.stagesMs ?? {})).toEqual(['open database', 'migrate', 'admin', 'build app', 'ready', 'listen']);
    expect(Object.keys(stopped?.stagesMs ?? {})).toEqual(
      expect.arrayContaining([
        'mail and other work after answers',
        'auth (revocation follower, Redis)',
        'password workers',
        'sweepers',
        'close database',
      ]),
    );
    expect(typeof stopped?.ms).toBe('number');
  });
});
