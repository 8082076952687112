import { loadConfig } from '../server/env.js';
import { databaseDeps, openDatabase } from '../server/db/database.js';
import { migrate } from '../server/db/migrate.js';
import { ensureAdmin } from '../server/services/auth/ensure-admin.js';
import { consoleProgress } from '../server/services/demo/console-progress.js';
import { seedDemo, withSeedLock } from '../server/services/demo/seed-demo.js';

/**
 * `npx prisma db seed`: migrates the database named by DATABASE_URL (the embedded one when unset)
 * and fills it with demo data through the same services the API uses. Safe to run twice.
 */
const config = loadConfig();
const db = await openDatabase(config.database);
try {
  const connection = await db.connect();
  try {
    await migrate(connection, { log: (line) => console.log(line) });
  } finally {
    await connection.close();
  }
  // ADMIN_EMAIL / ADMIN_PASSWORD: that admin owns the demo events; no demo admin is made.
  await ensureAdmin({ db: db.prisma, config });
  console.log(`database ready (${db.kind}); seeding demo data`);
  await withSeedLock(db, () => seedDemo(databaseDeps(db), config, { log: consoleProgress() }));
} finally {
  await db.close();
}
