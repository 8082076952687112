import path from 'node:path';
import { backupDatabase, restoreDatabase } from '../server/db/backup.js';
import { loadConfig } from '../server/env.js';

/**
 * `npm run db:backup -- <file>` / `npm run db:restore -- <file>`: the database named by
 * DATABASE_URL (the embedded one when unset). See server/db/backup.ts and the README.
 */
const [command, file] = process.argv.slice(2);
if ((command !== 'backup' && command !== 'restore') || !file) {
  console.error('usage: db-backup.ts backup|restore <file>');
  process.exit(2);
}
try {
  const config = loadConfig();
  const target = path.resolve(file);
  if (command === 'backup') await backupDatabase(config.database, target);
  else await restoreDatabase(config.database, target);
  const where = config.database.kind === 'postgresql' ? new URL(config.database.url).pathname.slice(1) : config.database.dir;
  console.log(
    `${command === 'backup' ? 'backed up' : 'restored'} ${config.database.kind} database ${where} ${command === 'backup' ? 'to' : 'from'} ${target}`,
  );
} catch (error) {
  console.error(`${command} failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
