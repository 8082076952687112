import { ConfigError, loadConfig } from '../env.js';
import { openDatabase } from './database.js';
import { migrate, MigrationError } from './migrate.js';

/** `npm run db:migrate`: apply pending migrations without starting the server. */
try {
  const config = loadConfig();
  const db = await openDatabase(config.database);
  const connection = await db.connect();
  try {
    const result = await migrate(connection, { log: (line) => console.log(line) });
    console.log(`${result.applied.length} migration(s) applied, ${result.alreadyApplied} already applied`);
  } finally {
    await connection.close();
    await db.close();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
