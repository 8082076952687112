import type { FastifyInstance } from 'fastify';
import { buildApp, type BuildAppOptions } from '../server/app.js';
import type { Config } from '../server/env.js';
import { testConfig } from './config.js';
import { createCallerFactory } from '../server/trpc/init.js';
import { appRouter } from '../server/routers/router.js';
import { createContextInner, type AuthUser } from '../server/trpc/context.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Log lines written while the app ran (JSON objects, as pino writes them). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** The real app on a real port, on its own database (or a given one, for multi-instance tests). */
export async function startTestApp(
  options: { db?: TestDatabase; config?: Partial<Config>; clientDir?: string | null; extend?: BuildAppOptions['extend']; redisPrefix?: string } = {},
): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = testConfig({ logLevel: 'info', ...options.config });
  const logs: Record<string, unknown>[] = [];
  const stream = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const app = await buildApp({
    db,
    config,
    logger: { level: config.logLevel, stream },
    clientDir: options.clientDir ?? null,
    extend: options.extend,
    redisPrefix: options.redisPrefix,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    db,
    config,
    url: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      await app.close();
      if (!options.db) await db.close();
    },
  };
}

/** A server-side caller as a given user, for procedure tests without HTTP. */
export function callerFor(app: FastifyInstance, user: AuthUser | null = null) {
  return createCallerFactory(appRouter)(createContextInner({ deps: app.deps, user }));
}
