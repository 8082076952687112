import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// Prisma's schema engine is a native binary downloaded from Prisma's host, which some machines
// cannot reach. generate/validate/format/db seed never run it, but the CLI insists the file
// exists; point it at any existing file unless the operator set a real one.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const real = fs
    .readdirSync(path.join(import.meta.dirname, 'node_modules/@prisma/engines'), { withFileTypes: true })
    .find((entry) => entry.name.startsWith('schema-engine'));
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = real ? path.join(real.parentPath, real.name) : path.join(import.meta.dirname, 'package.json');
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'tsx prisma/seed.ts',
  },
  datasource: {
    // Only `prisma migrate *` reads this; the app itself opens the database in server/db.
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  },
});
