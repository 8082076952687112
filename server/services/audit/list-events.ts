import type { AppDeps } from '../../deps.js';
import type { AuditEntry } from '../../../shared/admin.js';
import { auditSentence, type AuditPerson } from '../../../shared/audit.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { afterCursor, pageOf } from '../../db/pagination.js';

export interface AuditFilter {
  userId?: string;
  email?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** How many accounts an email filter may match; a filter matching more is too vague to be useful. */
const MAX_MATCHED_ACCOUNTS = 200;

/** The WHERE of a filter: one account, accounts by email (as the account or as who acted), a type, a time range. */
export async function auditWhere(deps: Pick<AppDeps, 'db'>, filter: AuditFilter): Promise<Prisma.AuthEventWhereInput> {
  const and: Prisma.AuthEventWhereInput[] = [];
  if (filter.userId) and.push({ OR: [{ userId: filter.userId }, { actorId: filter.userId }] });
  if (filter.email) {
    const accounts = await deps.db.user.findMany({
      where: { email: { contains: filter.email, mode: 'insensitive' } },
      select: { id: true },
      take: MAX_MATCHED_ACCOUNTS,
    });
    const ids = accounts.map((a) => a.id);
    and.push({ OR: [{ email: { contains: filter.email, mode: 'insensitive' } }, { userId: { in: ids } }, { actorId: { in: ids } }] });
  }
  if (filter.type) and.push({ type: filter.type });
  if (filter.from) and.push({ createdAt: { gte: new Date(filter.from) } });
  if (filter.to) and.push({ createdAt: { lt: new Date(filter.to) } });
  return { AND: and };
}

const rowSelect = {
  id: true,
  type: true,
  userId: true,
  email: true,
  ip: true,
  userAgent: true,
  createdAt: true,
  detail: true,
  actorId: true,
  eventId: true,
  orderId: true,
} as const;
type Row = Prisma.AuthEventGetPayload<{ select: typeof rowSelect }>;

/** Rows of the log, newest first, after a (createdAt, id) position; for the page and the CSV export. */
export function readAuditRows(deps: Pick<AppDeps, 'db'>, where: Prisma.AuthEventWhereInput, cursor: string | null | undefined, take: number) {
  return deps.db.authEvent.findMany({
    where: { AND: [where, afterCursor(cursor, 'createdAt', 'desc')] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
    select: rowSelect,
  });
}

/** Names the people, events and orders of a batch of rows (three queries for the batch) and words each line. */
export async function describeAuditRows(deps: Pick<AppDeps, 'db'>, rows: Row[]): Promise<AuditEntry[]> {
  const userIds = [...new Set(rows.flatMap((r) => [r.userId, r.actorId]).filter((id): id is string => id !== null))];
  const eventIds = [...new Set(rows.map((r) => r.eventId).filter((id): id is string => id !== null))];
  const orderIds = [...new Set(rows.map((r) => r.orderId).filter((id): id is string => id !== null))];
  const [users, events, orders] = await Promise.all([
    userIds.length ? deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    eventIds.length ? deps.db.event.findMany({ where: { id: { in: eventIds } }, select: { id: true, name: true } }) : [],
    orderIds.length ? deps.db.order.findMany({ where: { id: { in: orderIds } }, select: { id: true, number: true } }) : [],
  ]);
  const people = new Map<string, AuditPerson>(users.map((u) => [u.id, u]));
  const eventById = new Map(events.map((e) => [e.id, e]));
  const orderById = new Map(orders.map((o) => [o.id, o]));
  return rows.map((r) => {
    // A deleted account is named by the email the line kept.
    const account = r.userId ? (people.get(r.userId) ?? null) : null;
    const facts = {
      type: r.type,
      email: r.email,
      detail: r.detail,
      account,
      actor: r.actorId ? (people.get(r.actorId) ?? { id: r.actorId, name: null, email: null }) : account,
      event: r.eventId ? (eventById.get(r.eventId) ?? null) : null,
      order: r.orderId ? (orderById.get(r.orderId) ?? null) : null,
    };
    return { ...r, ...facts, createdAt: r.createdAt.toISOString(), sentence: auditSentence(facts) };
  });
}

/** The audit log, newest first, filtered; each line with its sentence and what it names. */
export async function listAuthEvents(
  deps: Pick<AppDeps, 'db'>,
  input: AuditFilter & { cursor?: string | null; limit: number },
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const rows = await readAuditRows(deps, await auditWhere(deps, input), input.cursor, input.limit + 1);
  const { page, nextCursor } = pageOf(rows, input.limit, (row) => row.createdAt);
  return { items: await describeAuditRows(deps, page), nextCursor };
}
