import type { AppDeps } from '../../deps.js';
import type { AuditEntry } from '../../../shared/admin.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';

/** The audit log, newest first, optionally about one user or of one type. */
export async function listAuthEvents(
  deps: Pick<AppDeps, 'db'>,
  input: { userId?: string; type?: string; cursor?: string | null; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const where: Prisma.AuthEventWhereInput = {
    AND: [input.userId ? { userId: input.userId } : {}, input.type ? { type: input.type } : {}, afterCursor(input.cursor, 'createdAt', 'desc')],
  };
  const rows = await deps.db.authEvent.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    select: { id: true, type: true, userId: true, email: true, ip: true, userAgent: true, createdAt: true, detail: true },
  });
  const { page, nextCursor } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { items: page.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })), nextCursor };
}
