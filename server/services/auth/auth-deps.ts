import type { AppDeps } from '../../deps.js';

/** What the account services need from the app: the database, the settings, the auth state and the counters. */
export type AuthDeps = Pick<AppDeps, 'db' | 'config' | 'authState' | 'counters' | 'mailer' | 'log' | 'background'>;
