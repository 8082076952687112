import { ensureClientBuilt } from './build-client.js';
import { main } from './main.js';

/** `npm start`: build the client when needed, migrate, listen. */
await ensureClientBuilt();
await main();
