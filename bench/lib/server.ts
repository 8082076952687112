import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sleep } from './stats.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningServer {
  url: string;
  pid: number;
  /** SIGTERM (the server's graceful stop), SIGKILL if it has not exited after 15 s. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the server's PORT=0 would not tell us which port it took). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The real server as a child process (`node --import tsx server/main-cli.ts`), configured as in
 * production, so the load generator and the baselines in this process never share its event loop.
 */
export async function startServer(options: { databaseUrl: string; dataDir: string; bcryptCost: number }): Promise<RunningServer> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    // The server's default unless the bench run names one (to compare pool sizes).
    ...(process.env.BENCH_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE } : {}),
    // Likewise the load-shedding threshold (0 turns it off, to see what it costs).
    ...(process.env.BENCH_OVERLOAD_MS ? { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: process.env.BENCH_OVERLOAD_MS } : {}),
    DATA_DIR: options.dataDir,
    JWT_SECRET: crypto.randomBytes(48).toString('base64url'),
    MFA_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
    BCRYPT_COST: String(options.bcryptCost),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    // Every bench client comes from 127.0.0.1: the per-address sign-in budget would stop the storm.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  };
  return spawnService('server/main-cli.ts', env);
}

/** The node flags of package.json's `start` script, before its `--import`. */
function startFlags(): string {
  const start = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [, flags = ''] = /^node\s+(.*?)\s*--import/.exec(start) ?? [];
  return flags;
}

/** A Node script of this repository as a child process, started when it answers GET /healthz on PORT. */
export async function spawnService(script: string, env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const port = Number(env.PORT);
  // BENCH_CPU_PROF=<dir>: the child writes a V8 CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  // The V8 flags `npm start` gives production (package.json), or BENCH_SERVER_NODE_FLAGS instead
  // (space-separated; "none" for none), to compare settings.
  const flags = (process.env.BENCH_SERVER_NODE_FLAGS ?? startFlags()).split(/\s+/).filter((flag) => flag.startsWith('--'));
  const child = spawn(process.execPath, [...profile, ...flags, '--import', 'tsx', '--import', './bench/lib/exit-with-parent.ts', script], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // If the bench exits without its cleanup; exit-with-parent.ts covers the bench being killed.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
    process.off('exit', killOnExit);
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (gone) throw new Error(`the server exited during start-up:\n${output.join('')}`);
    if (await answers(`${url}/healthz`)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer /healthz within 90 s:\n${output.join('')}`);
    }
    await sleep(200);
  }

  // Anything the server logs at warn or above while the bench runs is worth seeing.
  child.stdout.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString('utf8')}`));
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk.toString('utf8')}`));

  let stopping: Promise<void> | null = null;
  return {
    url,
    pid: child.pid!,
    stop() {
      stopping ??= stopChild(child, exited, () => gone);
      return stopping;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, gone: () => boolean): Promise<void> {
  if (gone()) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}
