import type { SqlPool } from './databases.js';
import type { Fixture } from './fixture.js';
import type { HttpClient } from './http.js';
import type { BenchOptions } from './options.js';

/** What every figure gets: the server, the fixture, the buyers' tokens and the baseline database. */
export interface BenchContext {
  options: BenchOptions;
  kind: 'pglite' | 'postgresql';
  serverUrl: string;
  /** The server child's process id (its CPU time and memory are read from /proc). */
  serverPid: number;
  /** The app's own PostgreSQL database, for SQL beside the server (null on PGlite: the server process holds it). */
  appDatabaseUrl: string | null;
  api: HttpClient;
  fixture: Fixture;
  /** One Bearer token per buyer, in fixture.buyers order (filled by the sign-in step). */
  tokens: string[];
  /** The baseline copy of the fixture, opened on first use. */
  baseline(): Promise<SqlPool>;
}
