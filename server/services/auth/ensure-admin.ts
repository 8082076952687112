import type { AppDeps } from '../../deps.js';
import { ConfigError } from '../../env.js';
import { passwordProblem } from '../../lib/passwords.js';
import { recordAuthEvent } from '../audit/record-event.js';
import { recordAuthChanges } from './auth-changes.js';
import { AppError } from '../errors.js';
import { createUser } from '../users/create-user.js';

const meta = { ip: null, userAgent: 'ADMIN_EMAIL at start' };

/**
 * ADMIN_EMAIL / ADMIN_PASSWORD: creates that admin, or promotes the existing account (its password
 * is left as it is). Safe when several instances start at once. A password the policy refuses
 * stops start-up with a ConfigError, as any bad setting does.
 */
export async function ensureAdmin(deps: Pick<AppDeps, 'db' | 'config'>): Promise<'created' | 'promoted' | 'unchanged' | 'none'> {
  const { config } = deps;
  if (!config.admin) return 'none';
  const { email, password } = config.admin;
  const problem = passwordProblem(password, email);
  if (problem) throw new ConfigError(`Invalid setting ADMIN_PASSWORD: ${problem}`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const existing = await deps.db.user.findUnique({ where: { email }, select: { id: true, role: true } });
    if (existing?.role === 'ADMIN') return 'unchanged';
    if (existing) {
      await deps.db.$transaction(async (tx) => {
        await tx.user.update({ where: { id: existing.id }, data: { role: 'ADMIN', staffStatus: 'NONE' }, select: { id: true } });
        await recordAuthEvent(tx, { type: 'admin_bootstrap', userId: existing.id, email, detail: { from: existing.role, to: 'ADMIN' } }, meta);
        // Running instances re-read this account's role at its next request.
        await recordAuthChanges(tx, { userId: existing.id });
      });
      return 'promoted';
    }
    try {
      await createUser(deps, { email, password, name: 'Administrator', role: 'ADMIN', emailVerified: true }, { type: 'admin_bootstrap', meta });
      return 'created';
    } catch (error) {
      // Another instance created it a moment ago: look again.
      if (!(error instanceof AppError && error.code === 'CONFLICT')) throw error;
    }
  }
  return 'unchanged';
}
