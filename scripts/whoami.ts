/**
 * Prints the account a script is signed in as, through the typed SDK.
 *
 *   TESSERA_URL=http://127.0.0.1:3000 TESSERA_EMAIL=you@example.com TESSERA_PASSWORD=... npx tsx scripts/whoami.ts
 */
import { createTesseraClient } from '../shared/sdk.js';

const url = process.env.TESSERA_URL ?? 'http://127.0.0.1:3000';
const email = process.env.TESSERA_EMAIL;
const password = process.env.TESSERA_PASSWORD;
if (!email || !password) {
  console.error('Set TESSERA_EMAIL and TESSERA_PASSWORD (and TESSERA_URL, default http://127.0.0.1:3000).');
  process.exit(1);
}

const api = createTesseraClient({ url, email, password });
try {
  const me = await api.auth.me.query();
  console.log(JSON.stringify(me, null, 2));
} catch (error) {
  console.error(`whoami failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  // One run, one session: end it rather than leave it open for 30 days.
  await api.logout().catch(() => {});
}
