import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from './app.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import { ConfigError, loadConfig, type Config } from './env.js';
import { MigrationError } from './db/migrate.js';
import { consoleProgress } from './services/demo/console-progress.js';
import { seedDemoIfEmpty } from './services/demo/seed-demo.js';
import { ensureAdmin } from './services/auth/ensure-admin.js';
import { stages } from './lib/stages.js';

export interface Server {
  app: FastifyInstance;
  config: Config;
  db: Database;
  /** Stops accepting, finishes in-flight requests, closes the database. */
  stop(): Promise<void>;
}

/** Opens the database, applies pending migrations and listens. */
export async function startServer(config: Config, options: Pick<BuildAppOptions, 'extend'> = {}): Promise<Server> {
  const start = stages();
  const db = await start.run('open database', () => openDatabase(config.database));
  const connection = await db.connect();
  try {
    await start.run('migrate', () => migrate(connection, config.logLevel === 'silent' ? {} : { log: (line) => console.log(line) }));
  } finally {
    await connection.close();
  }
  // ADMIN_EMAIL / ADMIN_PASSWORD: create or promote that admin before serving anyone.
  await start
    .run('admin', () => ensureAdmin({ db: db.prisma, config }))
    .catch(async (error: unknown) => {
      await db.close();
      throw error;
    });
  if (config.seedDemo) {
    await start
      .run('demo data', () => seedDemoIfEmpty(db, config, { log: config.logLevel === 'silent' ? () => {} : consoleProgress() }))
      .catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
  }
  const app = await start.run('build app', () => buildApp({ db, config, ...options }));
  app.addHook('onClose', async () => {
    await app.stopStages.run('close database', () => db.close());
  });
  await start.run('ready', () => app.ready());
  await start.run('listen', () => app.listen({ port: config.port, host: config.host }));
  app.log.info({ stagesMs: start.ms }, 'started');
  return {
    app,
    config,
    db,
    async stop() {
      const started = performance.now();
      await app.close();
      app.log.info({ stagesMs: app.stopStages.ms, ms: Math.round(performance.now() - started) }, 'stopped');
    },
  };
}

/** Entry point: one clear line and exit code 1 for a bad setting or a bad migration. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<Server> {
  // Listen for signals before starting: one that arrives while the server is still starting (or
  // just after it logged "listening") waits for the start to finish, then stops it cleanly.
  let starting: Promise<Server | null> = Promise.resolve(null);
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void starting.then(async (server) => {
        if (!server) process.exit(0);
        server.app.log.info({ signal }, 'shutting down');
        try {
          await server.stop();
          process.exit(0);
        } catch (error) {
          server.app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        }
      });
    });
  }
  starting = (async () => startServer(loadConfig(env)))().catch((error: unknown) => {
    if (error instanceof ConfigError || error instanceof MigrationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  });
  return (await starting)!;
}
