import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyInstance } from 'fastify';
import { listAuditInput } from '../../shared/admin.js';
import { sentenceText } from '../../shared/audit.js';
import type { AppDeps } from '../deps.js';
import { auditWhere, describeAuditRows, readAuditRows } from '../services/audit/list-events.js';
import { AppError } from '../services/errors.js';
import { encodeCursor } from '../db/pagination.js';
import type { HttpDeps } from './deps.js';
import { sendAppError } from './guard.js';

/** Rows read (and named) per batch: memory stays at one batch whatever the log's size. */
const BATCH = 1_000;

const COLUMNS = ['time', 'action', 'sentence', 'by', 'account', 'event', 'order', 'ip', 'user_agent', 'detail'] as const;

/**
 * A spreadsheet opens a cell that starts with = + - @ (or a tab or return) as a formula: such text
 * from users (a name, an event title) is prefixed with an apostrophe so it stays text.
 */
export function spreadsheetSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * GET /api/admin/audit.csv?email=&type=&from=&to=: the audit log as CSV, newest first, filtered like
 * the page, for admins. Streamed in batches of BATCH rows read by keyset, so a log of any size is
 * exported without holding it in memory (the stream waits while the client is slower).
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
      async function* lines() {
        let cursor: string | null = null;
        for (;;) {
          const rows = await readAuditRows(deps, where, cursor, BATCH);
          for (const entry of await describeAuditRows(deps, rows)) {
            yield {
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
            };
          }
          if (rows.length < BATCH) return;
          const last = rows[rows.length - 1]!;
          cursor = encodeCursor(last.createdAt, last.id);
        }
      }
      const csv = Readable.from(lines()).pipe(stringify({ header: true, columns: [...COLUMNS], cast: { string: spreadsheetSafe } }));
      const day = new Date().toISOString().slice(0, 10);
      return await reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="tessera-audit-${day}.csv"`)
        .header('cache-control', 'private, no-store')
        .send(csv);
    } catch (error) {
      if (error instanceof AppError) return sendAppError(reply, error);
      throw error;
    }
  });
}
