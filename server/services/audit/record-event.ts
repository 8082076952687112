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
  // Left out (not null): the account's address now, so a line such as a logout still names it.
  const email =
    event.email !== undefined || !event.userId
      ? (event.email ?? null)
      : ((await db.user.findUnique({ where: { id: event.userId }, select: { email: true } }))?.email ?? null);
  await db.authEvent.create({
    data: {
      type: event.type,
      userId: event.userId ?? null,
      email: email?.slice(0, 254) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      ...(event.detail ? { detail: event.detail } : {}),
      // An admin's action on someone's account names the admin in detail.by.
      actorId: typeof event.detail?.by === 'string' ? event.detail.by : null,
    },
    select: { id: true },
  });
}

/** Who does a business action, and from where: passed by the procedure to the service. */
export interface Actor {
  userId: string;
  meta: RequestMeta;
}

export interface BusinessAction {
  type: string;
  /** The account the action concerns (an order's buyer); the actor when left out. */
  userId?: string | null;
  eventId?: string | null;
  orderId?: string | null;
  /** What changed: `before` and `after` hold only the fields that changed. */
  detail: Prisma.InputJsonObject;
}

/**
 * Appends a business action (an event created, prices set, an order cancelled, a ticket scanned)
 * to the audit log inside the caller's transaction, so the row exists exactly when the change does.
 * The row's email is that of the account concerned, as it is now (the log outlives renames).
 */
export async function recordAction(tx: Prisma.TransactionClient, actor: Actor | null, action: BusinessAction): Promise<void> {
  // No actor: the operator's tools (seeding, fixtures), recorded as the system.
  const by = actor ?? { userId: null, meta: { ip: null, userAgent: null } };
  const subject = action.userId === undefined ? by.userId : action.userId;
  await tx.$executeRaw`
    INSERT INTO "AuthEvent" (id, type, "userId", email, ip, "userAgent", detail, "actorId", "eventId", "orderId", "createdAt")
    VALUES (gen_random_uuid(), ${action.type}, ${subject}::uuid, (SELECT u.email FROM "User" u WHERE u.id = ${subject}::uuid),
            ${by.meta.ip?.slice(0, 64) ?? null}, ${by.meta.userAgent?.slice(0, 300) ?? null}, ${JSON.stringify(action.detail)}::jsonb,
            ${subject === by.userId ? null : by.userId}::uuid, ${action.eventId ?? null}::uuid, ${action.orderId ?? null}::uuid,
            now() AT TIME ZONE 'UTC')`;
}
