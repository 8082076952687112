import type { Prisma } from '../../generated/prisma/client.js';

/** Where a request came from, for the audit log and the sessions list. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface AuthEventInput {
  type: string;
  userId?: string | null;
  /** The address at the time (or the one attempted, for a failed login). Never a password. */
  email?: string | null;
  detail?: Prisma.InputJsonObject;
}

/** Appends one row to the audit log; pass the transaction when the change it records is in one. */
export async function recordAuthEvent(db: Prisma.TransactionClient, event: AuthEventInput, meta: RequestMeta): Promise<void> {
  await db.authEvent.create({
    data: {
      type: event.type,
      userId: event.userId ?? null,
      email: event.email?.slice(0, 254) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ...(event.detail ? { detail: event.detail } : {}),
    },
    select: { id: true },
  });
}
