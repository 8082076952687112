import { main } from './main.js';

/** Starts the server without the client build step (tests and containers with a prebuilt client). */
await main();
