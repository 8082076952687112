import type { FastifyInstance } from 'fastify';
import { listAuditInput } from '../../shared/admin.js';
import { sentenceText } from '../../shared/audit.js';
import type { AppDeps } from '../deps.js';
import { auditWhere, describeAuditRows, readAuditRows } from '../services/audit/list-events.js';
import { AppError } from '../services/errors.js';
import { batches, sendCsv } from './csv.js';
import type { HttpDeps } from './deps.js';
import { sendAppError } from './guard.js';

const COLUMNS = ['time', 'action', 'sentence', 'by', 'account', 'event', 'order', 'ip', 'user_agent', 'detail'] as const;

/**
 * GET /api/admin/audit.csv?email=&type=&from=&to=: the audit log as CSV, newest first, filtered like
 * the page, for admins. Streamed in batches read by keyset (csv.ts), so a log of any size is
 * exported without holding it in memory.
 */
export function auditCsvRoute(app: FastifyInstance, deps: AppDeps, http: HttpDeps): void {
  app.get('/api/admin/audit.csv', async (req, reply) => {
    try {
      const auth = await http.authenticate(req);
      if (!auth) throw new AppError('SIGN_IN_REQUIRED', 'Please sign in.');
      if (auth.user.role !== 'ADMIN') throw new AppError('NOT_ALLOWED', 'Admins only.');
      const parsed = listAuditInput.safeParse({ ...(req.query as object), limit: 1 });
      if (!parsed.success) throw new AppError('INVALID_INPUT', 'These filters are not valid.', { issues: parsed.error.issues.map((i) => i.message) });
      const where = await auditWhere(deps, parsed.data);
      const lines = batches(
        (cursor, take) => readAuditRows(deps, where, cursor, take),
        (row) => row.createdAt,
        async (rows) =>
          (await describeAuditRows(deps, rows)).map((entry) => ({
            time: entry.createdAt,
            action: entry.type,
            sentence: sentenceText(entry.sentence),
            by: entry.actor?.email ?? '',
            account: entry.account?.email ?? entry.email ?? '',
            event: entry.event?.name ?? '',
            order: entry.order?.number ?? '',
            ip: entry.ip ?? '',
            user_agent: entry.userAgent ?? '',
            detail: entry.detail === null ? '' : JSON.stringify(entry.detail),
          })),
      );
      return await sendCsv(reply, `tessera-audit-${new Date().toISOString().slice(0, 10)}.csv`, COLUMNS, lines);
    } catch (error) {
      if (error instanceof AppError) return sendAppError(reply, error);
      throw error;
    }
  });
}
