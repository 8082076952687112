import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../bench/lib/server.js';
import { sleep } from './timeline.js';

const run = promisify(execFile);

/** PostgreSQL's binaries: FAULTS_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function pgBinDir(): string {
  if (process.env.FAULTS_PG_BIN) return process.env.FAULTS_PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql; set FAULTS_PG_BIN');
  return path.join(root, newest, 'bin');
}

/** initdb and pg_ctl refuse to run as root: as root they run as the `postgres` OS user. */
function asPostgres(command: string, args: string[]): Promise<{ stdout: string }> {
  const root = process.getuid?.() === 0;
  return root ? run('runuser', ['-u', 'postgres', '--', command, ...args], { timeout: 120_000 }) : run(command, args, { timeout: 120_000 });
}

export interface PostgresCluster {
  port: number;
  dataDir: string;
  /** `pg_ctl restart -m fast`: every connection is cut, the server is down for a moment. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m immediate`; safe to call twice. */
  stop(): Promise<void>;
}

/** A throw-away cluster of our own in `dir` (created here), so its restart disturbs nobody else. */
export async function startPostgres(dir: string): Promise<PostgresCluster> {
  const bin = pgBinDir();
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) await run('chown', ['postgres', dir]);
  await asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const ctl = (...args: string[]) => asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, ...args]);
  await ctl('-o', options, '-l', path.join(dir, 'log'), '-w', 'start');
  let stopped = false;
  return {
    port,
    dataDir,
    async restart() {
      await ctl('-o', options, '-l', path.join(dir, 'log'), '-m', 'fast', '-w', 'restart');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await ctl('-m', 'immediate', '-w', 'stop');
    },
  };
}

export interface RedisServer {
  port: number;
  /** SIGKILL: gone at once, with everything it held. */
  kill(): Promise<void>;
  /** A fresh, empty server on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A private redis-server (nothing saved to disk) on a free port; `pidFile` lets the watchdog find it. */
export async function startRedis(dir: string, pidFile: string): Promise<RedisServer> {
  const port = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const binary = process.env.FAULTS_REDIS_SERVER ?? 'redis-server';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const args = ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--dir', dir, '--pidfile', pidFile];
    const c = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    exited = new Promise((resolve) => c.once('exit', () => resolve()));
    child = c;
    const deadline = Date.now() + 10_000;
    while (!(await redisPongs(port))) {
      if (c.exitCode !== null || c.signalCode !== null) throw new Error(`redis-server exited at start: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer PING within 10 s: ${stderr}`);
      await sleep(50);
    }
  };
  const kill = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    child = null;
  };

  await start();
  return { port, kill, start, stop: kill };
}

/** One PING over a raw socket: true when the answer is +PONG. */
function redisPongs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => done(chunk.toString('utf8').startsWith('+PONG')));
  });
}

/**
 * A detached shell that outlives this process if it is killed outright (SIGKILL, a CI timeout):
 * it then kills the private Redis, stops the private cluster and removes the run's directory.
 * A normal exit stops it first (`dismiss`).
 */
export function startWatchdog(options: { runDir: string; pgDataDir: string; redisPidFile: string }): { dismiss(): void } {
  const pgCtl = path.join(pgBinDir(), 'pg_ctl');
  const asPg = process.getuid?.() === 0 ? 'runuser -u postgres -- ' : '';
  const script = [
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
    '[ -f "$3" ] && kill -9 "$(cat "$3")" 2>/dev/null',
    `[ -f "$4/postmaster.pid" ] && ${asPg}"$5" -D "$4" -m immediate stop >/dev/null 2>&1`,
    'rm -rf "$2"',
  ].join('\n');
  const args = ['-c', script, 'faults-watchdog', String(process.pid), options.runDir, options.redisPidFile, options.pgDataDir, pgCtl];
  const child = spawn('bash', args, { detached: true, stdio: 'ignore' });
  child.unref();
  return {
    dismiss() {
      // Its own process group (detached): the shell and the `sleep` it may be in.
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    },
  };
}
