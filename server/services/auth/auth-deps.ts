import type { AppDeps } from '../../deps.js';

/** What the account services need from the app: the database, the settings, the revocation list. */
export type AuthDeps = Pick<AppDeps, 'db' | 'config' | 'revocations'>;
