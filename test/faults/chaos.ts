import type { PostgresCluster, RedisServer } from './infra.js';
import type { AppInstance } from './instance.js';
import { fault, sleep } from './timeline.js';

export interface ChaosOptions {
  /** The instance that is SIGKILLed and started again, over and over. */
  victim: AppInstance;
  postgres: PostgresCluster;
  redis: RedisServer;
  /** The load phase, Date.now() values. */
  from: number;
  until: number;
  /** Mean time between kills; each gap is this +-1 s. */
  killEveryMs: number;
}

export interface ChaosResult {
  kills: number;
  postgresRestarts: number;
  redisKills: number;
  /** Faults that could not be made or recovered from (the run fails). */
  errors: string[];
}

/**
 * While the load runs: SIGKILL the victim every few seconds and start it again a second later;
 * once, a third of the way in, restart PostgreSQL; once, two thirds in, kill Redis and start it
 * again empty. Ends with everything running again.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const result: ChaosResult = { kills: 0, postgresRestarts: 0, redisKills: 0, errors: [] };
  const span = options.until - options.from;
  const guard = (what: string, task: Promise<void>) =>
    task.catch((error: unknown) => {
      result.errors.push(`${what}: ${(error as Error).message}`);
      fault(`FAILED ${what}: ${(error as Error).message}`);
    });
  await Promise.all([
    guard('killing and restarting the instance', killLoop(options, result)),
    guard(
      'restarting PostgreSQL',
      at(options.from + span / 3, () => restartPostgres(options.postgres, result)),
    ),
    guard(
      'killing Redis',
      at(options.from + (2 * span) / 3, () => killRedis(options.redis, result)),
    ),
  ]);
  return result;
}

async function at(time: number, task: () => Promise<void>): Promise<void> {
  await sleep(Math.max(0, time - Date.now()));
  await task();
}

async function killLoop(options: ChaosOptions, result: ChaosResult): Promise<void> {
  const { victim } = options;
  const gap = () => options.killEveryMs + (Math.random() * 2 - 1) * 1000;
  // The first kill comes half a gap in: a short run needs room for its three kills.
  let next = options.from + options.killEveryMs / 2;
  for (;;) {
    // A kill needs a second of load left to hurt.
    if (next > options.until - 1000) return;
    await sleep(Math.max(0, next - Date.now()));
    const pid = victim.pid;
    await victim.kill();
    result.kills++;
    fault(`SIGKILL instance ${victim.name} (pid ${pid})`);
    await sleep(1000);
    const restarting = Date.now();
    await victim.startPersistently((error) => fault(`instance ${victim.name} failed to start (${error.message}); trying again`));
    fault(`instance ${victim.name} listening again (pid ${victim.pid}, ${((Date.now() - restarting) / 1000).toFixed(1)} s after its start)`);
    // Up for at least half a second before the next kill, so each kill hits a serving instance.
    next = Math.max(next + gap(), Date.now() + 500);
  }
}

async function restartPostgres(postgres: PostgresCluster, result: ChaosResult): Promise<void> {
  fault('PostgreSQL: pg_ctl restart -m fast (every connection cut)');
  const started = Date.now();
  await postgres.restart();
  result.postgresRestarts++;
  fault(`PostgreSQL accepting connections again (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function killRedis(redis: RedisServer, result: ChaosResult): Promise<void> {
  await redis.kill();
  result.redisKills++;
  fault('SIGKILL redis-server');
  await sleep(2000);
  await redis.start();
  fault('redis-server started again, empty');
}
