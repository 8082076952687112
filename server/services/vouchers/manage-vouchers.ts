import crypto from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import type { CreateVoucherInput, GenerateVouchersInput, Unlocked, Voucher, VoucherKind } from '../../../shared/vouchers.js';
import { transact } from '../../db/transact.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { recordAction, type Actor } from '../audit/record-event.js';
import { AppError } from '../errors.js';

export const voucherSelect = {
  id: true,
  eventId: true,
  code: true,
  kind: true,
  value: true,
  tierIds: true,
  validFrom: true,
  validUntil: true,
  maxUses: true,
  maxUsesPerUser: true,
  uses: true,
  active: true,
  unlocksHidden: true,
  note: true,
  createdAt: true,
} satisfies Prisma.VoucherSelect;

export function toVoucher(row: Prisma.VoucherGetPayload<{ select: typeof voucherSelect }>): Voucher {
  return {
    ...row,
    kind: row.kind as VoucherKind,
    validFrom: row.validFrom?.toISOString() ?? null,
    validUntil: row.validUntil?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

type Rules = Pick<
  CreateVoucherInput,
  'eventId' | 'kind' | 'value' | 'tierIds' | 'validFrom' | 'validUntil' | 'maxUsesPerUser' | 'note' | 'unlocksHidden'
>;

/** The event must exist and the tiers must be its own; answers the columns every voucher of these rules shares. */
async function checkedRules(tx: Prisma.TransactionClient, rules: Rules) {
  const event = await tx.event.findUnique({ where: { id: rules.eventId }, select: { id: true } });
  if (!event) throw new AppError('EVENT_NOT_FOUND', 'Event not found.');
  const tierIds = [...new Set(rules.tierIds)];
  if (tierIds.length > 0) {
    const found = await tx.priceTier.count({ where: { eventId: rules.eventId, id: { in: tierIds } } });
    if (found !== tierIds.length) throw new AppError('TIER_NOT_FOUND', 'Some of these tiers are not tiers of this event.');
  }
  return {
    eventId: rules.eventId,
    kind: rules.kind,
    value: rules.value,
    tierIds,
    validFrom: rules.validFrom ? new Date(rules.validFrom) : null,
    validUntil: rules.validUntil ? new Date(rules.validUntil) : null,
    maxUsesPerUser: rules.maxUsesPerUser ?? null,
    note: rules.note || null,
    unlocksHidden: rules.unlocksHidden,
  };
}

/** One code, as staff typed it (upper case): a promo code for many, or a voucher for one. */
export async function createVoucher(deps: Pick<AppDeps, 'database'>, input: CreateVoucherInput, actor: Actor): Promise<Voucher> {
  return transact(deps.database, async (tx) => {
    const rules = await checkedRules(tx, input);
    const taken = await tx.voucher.findUnique({ where: { eventId_code: { eventId: input.eventId, code: input.code } }, select: { id: true } });
    if (taken)
      throw new AppError('VOUCHER_CODE_TAKEN', 'This event already has this code.', { fieldErrors: { code: ['This event already has this code.'] } });
    const row = await tx.voucher.create({
      data: { ...rules, code: input.code, maxUses: input.maxUses ?? null, createdById: actor.userId },
      select: voucherSelect,
    });
    await recordAction(tx, actor, {
      type: 'voucher_create',
      eventId: input.eventId,
      detail: {
        code: row.code,
        kind: row.kind,
        value: row.value,
        maxUses: row.maxUses,
        maxUsesPerUser: row.maxUsesPerUser,
        ...(row.unlocksHidden ? { unlocksHidden: true } : {}),
      },
    });
    return toVoucher(row);
  });
}

/** Crockford base 32 without I, L, O, U: codes people can read out and type. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function randomCode(prefix: string): string {
  const bytes = crypto.randomBytes(8);
  const body = [...bytes].map((b) => ALPHABET[b % 32]).join('');
  return prefix ? `${prefix}-${body}` : body;
}

/**
 * `count` single-use codes (each usable by one order), random (40 bits each), in one insert.
 * A code that happens to exist already is drawn again.
 */
export async function generateVouchers(
  deps: Pick<AppDeps, 'database'>,
  input: GenerateVouchersInput,
  actor: Actor,
): Promise<{ created: number; codes: string[] }> {
  return transact(deps.database, async (tx) => {
    const rules = await checkedRules(tx, input);
    const codes = new Set<string>();
    while (codes.size < input.count) {
      const wanted = new Set<string>();
      while (wanted.size < input.count - codes.size) {
        const code = randomCode(input.prefix);
        if (!codes.has(code)) wanted.add(code);
      }
      const made = await tx.voucher.createManyAndReturn({
        data: [...wanted].map((code) => ({ ...rules, code, maxUses: 1, createdById: actor.userId })),
        skipDuplicates: true,
        select: { code: true },
      });
      for (const m of made) codes.add(m.code);
    }
    await recordAction(tx, actor, {
      type: 'voucher_generate',
      eventId: input.eventId,
      detail: {
        count: codes.size,
        prefix: input.prefix,
        kind: input.kind,
        value: input.value,
        ...(input.unlocksHidden ? { unlocksHidden: true } : {}),
      },
    });
    return { created: codes.size, codes: [...codes].sort() };
  });
}

/** The event's codes, newest first (the bulk ones too; the CSV export lists them all). */
export async function listVouchers(deps: Pick<AppDeps, 'db'>, input: { eventId: string }): Promise<Voucher[]> {
  const rows = await deps.db.voucher.findMany({
    where: { eventId: input.eventId },
    orderBy: [{ createdAt: 'desc' }, { code: 'asc' }],
    select: voucherSelect,
  });
  return rows.map(toVoucher);
}

/** Switches a code off (it stops working at once; orders that used it keep their discount) or on again. */
export async function setVoucherActive(deps: Pick<AppDeps, 'database'>, input: { id: string; active: boolean }, actor: Actor): Promise<Voucher> {
  return transact(deps.database, async (tx) => {
    const before = await tx.voucher.findUnique({ where: { id: input.id }, select: { active: true } });
    if (!before) throw new AppError('VOUCHER_NOT_FOUND', 'No such code.');
    const row = await tx.voucher.update({ where: { id: input.id }, data: { active: input.active }, select: voucherSelect });
    if (before.active !== input.active)
      await recordAction(tx, actor, {
        type: 'voucher_update',
        eventId: row.eventId,
        detail: { code: row.code, before: { active: before.active }, after: { active: input.active } },
      });
    return toVoucher(row);
  });
}

/**
 * Which hidden (presale) tiers a code opens: an active code of the event, within its dates, made
 * to unlock (the same test as tessera_locked_seats()). Any other code is the one constant
 * VOUCHER_INVALID, and counted as a wrong code by the caller's limit.
 */
export async function unlockTiers(deps: Pick<AppDeps, 'db'>, input: { eventId: string; code: string }): Promise<Unlocked> {
  const voucher = await deps.db.voucher.findFirst({
    where: { ...liveVoucherWhere(input.eventId, input.code, new Date()), unlocksHidden: true },
    select: { tierIds: true },
  });
  if (!voucher) throw new AppError('VOUCHER_INVALID', 'This code is not valid for this event.');
  const tiers = await deps.db.priceTier.findMany({
    where: { eventId: input.eventId, hidden: true, ...(voucher.tierIds.length > 0 ? { id: { in: voucher.tierIds } } : {}) },
    orderBy: { seq: 'asc' },
    select: { id: true },
  });
  return { code: input.code, tierIds: tiers.map((t) => t.id) };
}

/** A code that works now: the event's, switched on, within its dates (tessera_purchase() tests the same). */
export function liveVoucherWhere(eventId: string, code: string, now: Date): Prisma.VoucherWhereInput {
  return {
    eventId,
    code,
    active: true,
    AND: [{ OR: [{ validFrom: null }, { validFrom: { lte: now } }] }, { OR: [{ validUntil: null }, { validUntil: { gt: now } }] }],
  };
}
