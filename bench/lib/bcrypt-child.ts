/**
 * The login storm's baseline, run as its own process so it gets the cores to itself the way the
 * server does: bcrypt.compare at the given cost, `concurrency` at a time, for `seconds`. Prints one
 * JSON line: { compares, seconds }.
 *
 *   node --import tsx bench/lib/bcrypt-child.ts <cost> <seconds> <concurrency>
 */
import bcrypt from 'bcrypt';

const [cost, seconds, concurrency] = process.argv.slice(2).map(Number) as [number, number, number];
const password = 'bench buyer passphrase';
const hash = await bcrypt.hash(password, cost);
await bcrypt.compare(password, hash);

let compares = 0;
const start = performance.now();
const deadline = start + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare failed');
      compares++;
    }
  }),
);
process.stdout.write(`${JSON.stringify({ compares, seconds: (performance.now() - start) / 1000 })}\n`);
