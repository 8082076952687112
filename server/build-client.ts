import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = ['client', 'shared'];

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    // Tests and build output do not change what the browser gets.
    if (file.includes(`${path.sep}dist${path.sep}`) || file.includes('node_modules') || /\.test\.tsx?$/.test(file)) continue;
    newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

/** Builds client/dist when it is missing or older than any client or shared source. */
export async function ensureClientBuilt(): Promise<void> {
  const index = path.join(ROOT, 'client/dist/index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((dir) => newestMtime(path.join(ROOT, dir))));
  if (built >= sources) return;
  console.log('building the client (client/dist is missing or older than its sources)…');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // Always a production bundle, even when started from a test runner that sets NODE_ENV=test
    // (React would otherwise ship its development build, with source paths inside).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error('The client build failed; see the output above.');
}
