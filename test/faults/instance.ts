import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { REPO_ROOT } from '../../bench/lib/server.js';
import { sleep } from './timeline.js';

/**
 * As root, an instance starts at nice -10 and every thread of it is put back by +10 once it
 * listens, ending exactly where it would have started (the app's bcrypt threads lower their own
 * priority relative to it). Loading the app costs ~2.5 s of CPU; on two cores busy with the load,
 * a restart at equal priority takes 8-10 s, too slow for kills every few seconds.
 */
const START_BOOST = process.getuid?.() === 0 && process.platform === 'linux' ? 10 : 0;

/**
 * One app instance as a child process (`node --import tsx server/main-cli.ts`, as the bench runs
 * it) that can be SIGKILLed and started again on the same port. Its output goes to a log file.
 */
export class AppInstance {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private readonly log: fs.WriteStream;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
  ) {
    this.log = fs.createWriteStream(logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  private get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the process and waits until it listens (GET /healthz 200); throws if it exits first or takes over 60 s. */
  async start(): Promise<void> {
    if (this.alive) throw new Error(`instance ${this.name} is already running`);
    // exit-with-parent: should this process die without stopping it, it stops itself.
    const node = [process.execPath, '--import', 'tsx', '--import', './bench/lib/exit-with-parent.ts', 'server/main-cli.ts'];
    const command = START_BOOST ? ['nice', '-n', String(-START_BOOST), ...node] : node;
    const child = spawn(command[0]!, command.slice(1), { cwd: REPO_ROOT, env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.log.write(`--- ${new Date().toISOString()} started pid ${child.pid}\n`);
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!this.alive) throw new Error(`instance ${this.name} exited during start-up (see ${this.logFile})`);
      if ((await probe(`${this.url}/healthz`)) === 200) {
        unboost(child.pid!);
        return;
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`instance ${this.name} did not answer /healthz within 60 s (see ${this.logFile})`);
      }
      await sleep(100);
    }
  }

  /**
   * start() until it succeeds: the app exits when it cannot reach the database at start-up, as
   * it may while PostgreSQL restarts. `onRetry` hears of each failed attempt.
   */
  async startPersistently(onRetry: (error: Error) => void, attempts = 20): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.start();
      } catch (error) {
        if (attempt >= attempts) throw error;
        onRetry(error as Error);
        await sleep(1000);
      }
    }
  }

  /** SIGKILL, and wait until it is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the app's graceful stop), SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.alive) {
      this.child!.kill('SIGTERM');
      const timer = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** Stops it and closes the log file. */
  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}

/** Every thread of the process back by START_BOOST (each thread has its own nice value on Linux). */
function unboost(pid: number): void {
  if (!START_BOOST) return;
  for (const tid of threadsOf(pid)) {
    try {
      os.setPriority(Number(tid), os.getPriority(Number(tid)) + START_BOOST);
    } catch {
      // The thread ended meanwhile.
    }
  }
}

function threadsOf(pid: number): string[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return []; // Gone already.
  }
}

/** The HTTP status of GET url, or 0 when nothing answers within 2 s. */
export async function probe(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Waits until every instance answers GET /readyz 200; false if `ms` pass first. */
export async function allReady(instances: readonly AppInstance[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const statuses = await Promise.all(instances.map((i) => probe(`${i.url}/readyz`)));
    if (statuses.every((s) => s === 200)) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}
