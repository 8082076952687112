import type { AppDeps } from '../../deps.js';
import type { Role, StaffStatus, User } from '../../../shared/auth.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';
import { toUser, userSelect } from './user-select.js';

/** Users newest first, optionally matching `q` in the email or name, a role and a staff status. */
export async function listUsers(
  deps: Pick<AppDeps, 'db'>,
  input: { q?: string; role?: Role; staffStatus?: StaffStatus; cursor?: string | null; limit: number },
): Promise<{ items: User[]; nextCursor: string | null }> {
  const q = input.q?.trim();
  const where: Prisma.UserWhereInput = {
    AND: [
      q ? { OR: [{ email: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } : {},
      input.role ? { role: input.role } : {},
      input.staffStatus ? { staffStatus: input.staffStatus } : {},
      afterCursor(input.cursor, 'createdAt', 'desc'),
    ],
  };
  const rows = await deps.db.user.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
    select: userSelect,
  });
  const { page, nextCursor } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { items: page.map(toUser), nextCursor };
}
