import { z } from 'zod';

/**
 * Vouchers and promo codes: per event, made by staff. `percent` takes `value` percent off the seats
 * it applies to, `amount` takes `value` cents off the order (at most what those seats cost),
 * `price` sells each seat it applies to at `value` cents (never more than its list price). A code
 * replaces the group discount. A use is an order; a cancelled or expired order gives it back.
 */
export const VOUCHER_KINDS = ['percent', 'amount', 'price'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

const CODE_MESSAGE = 'Expected 3 to 40 letters, digits, - or _.';
/** A code as people type it: any case, spaces around it ignored; stored and compared in upper case. */
export const voucherCodeSchema = z
  .string()
  .trim()
  .max(40, CODE_MESSAGE)
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9_-]{2,39}$/, CODE_MESSAGE));

const isoDateTime = z.iso.datetime({ offset: true, message: 'Expected an ISO-8601 date and time, such as 2027-05-01T00:00:00Z.' });

/** What a code does and when: shared by create and generate. */
const voucherRules = z.object({
  eventId: z.uuid(),
  kind: z.enum(VOUCHER_KINDS, { message: 'Expected percent, amount or price.' }),
  value: z.number().int('Expected a whole number.').min(0, 'Expected 0 or more.').max(10_000_000),
  tierIds: z.array(z.uuid()).max(50).default([]),
  validFrom: isoDateTime.nullish(),
  validUntil: isoDateTime.nullish(),
  maxUsesPerUser: z.number().int().min(1, 'At least 1.').max(1000).nullish(),
  note: z.string().trim().max(200).nullish(),
  /** Lets its holder hold and buy seats of hidden (presale) tiers: of `tierIds`, or any. */
  unlocksHidden: z.boolean().default(false),
});

function checkRules(
  v: { kind: VoucherKind; value: number; validFrom?: string | null; validUntil?: string | null; unlocksHidden?: boolean },
  ctx: z.RefinementCtx,
) {
  // A presale code may take nothing off: percent 0.
  if (v.kind === 'percent' && (v.value < (v.unlocksHidden ? 0 : 1) || v.value > 100))
    ctx.addIssue({ code: 'custom', path: ['value'], message: v.unlocksHidden ? 'A percentage from 0 to 100.' : 'A percentage from 1 to 100.' });
  if (v.kind === 'amount' && v.value < 1) ctx.addIssue({ code: 'custom', path: ['value'], message: 'An amount of at least 1 cent.' });
  if (v.validFrom && v.validUntil && Date.parse(v.validFrom) >= Date.parse(v.validUntil))
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '`validUntil` must be after `validFrom`.' });
}

export const createVoucherInput = voucherRules
  .extend({ code: voucherCodeSchema, maxUses: z.number().int().min(1, 'At least 1.').max(1_000_000).nullish() })
  .strict()
  .superRefine(checkRules);
export type CreateVoucherInput = z.infer<typeof createVoucherInput>;

/** Single-use codes in bulk: `count` new random codes (PREFIX-XXXXXXXX), each usable once. */
export const generateVouchersInput = voucherRules
  .extend({
    count: z.number().int().min(1, 'At least 1.').max(1000, 'At most 1,000 at once.'),
    prefix: z
      .string()
      .trim()
      .max(12)
      .transform((s) => s.toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9]*$/, 'Letters and digits only.'))
      .default(''),
  })
  .strict()
  .superRefine(checkRules);
export type GenerateVouchersInput = z.infer<typeof generateVouchersInput>;

export const listVouchersInput = z.object({ eventId: z.uuid() }).strict();
export const setVoucherActiveInput = z.object({ id: z.uuid(), active: z.boolean() }).strict();

export interface Voucher {
  id: string;
  eventId: string;
  code: string;
  kind: VoucherKind;
  value: number;
  tierIds: string[];
  validFrom: string | null;
  validUntil: string | null;
  maxUses: number | null;
  maxUsesPerUser: number | null;
  /** Orders using it now. */
  uses: number;
  active: boolean;
  /** Unlocks hidden (presale) tiers: of `tierIds`, or any. */
  unlocksHidden: boolean;
  note: string | null;
  createdAt: string;
}

/** `vouchers.unlock`: which hidden (presale) tiers a code opens, for the seat map. */
export const unlockInput = z.object({ eventId: z.uuid(), code: voucherCodeSchema }).strict();
export interface Unlocked {
  code: string;
  /** The event's hidden tiers whose seats the code lets the caller hold and buy. */
  tierIds: string[];
}

/** What a voucher takes off: the one rule pricing.quote answers with and tessera_purchase() charges. */
export function voucherDiscount(
  voucher: { kind: VoucherKind; value: number; tierIds: readonly string[] },
  seats: ReadonlyArray<{ priceCents: number; tierId: string }>,
) {
  const applies = seats.filter((s) => voucher.tierIds.length === 0 || voucher.tierIds.includes(s.tierId));
  const sum = applies.reduce((total, s) => total + s.priceCents, 0);
  const discountCents =
    voucher.kind === 'percent'
      ? Math.round((sum * voucher.value) / 100)
      : voucher.kind === 'amount'
        ? Math.min(voucher.value, sum)
        : applies.reduce((total, s) => total + Math.max(s.priceCents - voucher.value, 0), 0);
  return { applies: applies.length, discountCents };
}
