import { voucherCodeSchema, type VoucherKind } from './vouchers.js';
import { z } from 'zod';
import { MAX_SEATS_PER_ORDER, seatListSchema, type Seat } from './seats.js';

export const MAX_TIERS_PER_EVENT = 20;
export const MAX_DISCOUNT_RULES = 10;
/** 100,000 currency units: keeps an order's total inside a 32-bit column. */
export const MAX_PRICE_CENTS = 10_000_000;

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'A currency is a 3-letter ISO-4217 code such as USD.');

export const priceCentsSchema = z
  .number({ message: 'Expected a price in cents.' })
  .int('A price is a whole number of cents.')
  .min(0, 'A price cannot be negative.')
  .max(MAX_PRICE_CENTS, `A price is at most ${MAX_PRICE_CENTS} cents.`);

export const tierInput = z.object({
  id: z.uuid().optional(),
  name: z.string().trim().min(1, 'A tier needs a name.').max(60, 'At most 60 characters.'),
  priceCents: priceCentsSchema,
  currency: currencySchema,
  /** Presale: its seats are held and bought only with a code that unlocks them (default false). */
  hidden: z.boolean().optional(),
});

export const setTiersInput = z.object({
  eventId: z.uuid(),
  tiers: z
    .array(tierInput)
    .max(MAX_TIERS_PER_EVENT, `At most ${MAX_TIERS_PER_EVENT} tiers per event.`)
    .refine((tiers) => new Set(tiers.map((t) => t.name.toLowerCase())).size === tiers.length, {
      message: 'Tier names must differ.',
    })
    .refine((tiers) => {
      const ids = tiers.flatMap((t) => (t.id ? [t.id] : []));
      return new Set(ids).size === ids.length;
    }, 'Each tier id may appear only once.'),
});
export type SetTiersInput = z.infer<typeof setTiersInput>;

export const groupDiscountRule = z.object({
  minQuantity: z
    .number()
    .int('A quantity is a whole number.')
    .min(2, 'A group has at least 2 seats.')
    .max(MAX_SEATS_PER_ORDER, `An order has at most ${MAX_SEATS_PER_ORDER} seats.`),
  percentOff: z.number().int('A percentage is a whole number.').min(1, 'At least 1 percent.').max(100, 'At most 100 percent.'),
});
export type GroupDiscountRule = z.infer<typeof groupDiscountRule>;

export const setGroupDiscountsInput = z.object({
  eventId: z.uuid(),
  rules: z
    .array(groupDiscountRule)
    .max(MAX_DISCOUNT_RULES, `At most ${MAX_DISCOUNT_RULES} rules.`)
    .refine((rules) => new Set(rules.map((r) => r.minQuantity)).size === rules.length, {
      message: 'Each minimum quantity may appear only once.',
    }),
});

export const quoteInput = z.object({
  eventId: z.uuid(),
  seats: seatListSchema(MAX_SEATS_PER_ORDER),
  /** A voucher or promo code: it replaces the group discount. */
  code: voucherCodeSchema.optional(),
});

export interface Tier {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  /** Presale: its seats need a code that unlocks them (shown on seat maps, not to be held without one). */
  hidden: boolean;
}

export interface Quote {
  lines: Array<Seat & { tierName: string; priceCents: number }>;
  subtotalCents: number;
  /** The group discount applied, 0 when none. */
  percentOff: number;
  discountCents: number;
  totalCents: number;
  currency: string;
  /** The code applied (its discount is `discountCents`, and `percentOff` is 0); null without one. */
  voucher: { code: string; kind: VoucherKind; value: number } | null;
}

/** The largest discount whose minimum quantity the seat count reaches (0 when none). */
export function bestPercentOff(seatCount: number, rules: readonly GroupDiscountRule[]): number {
  return rules.reduce((best, rule) => (rule.minQuantity <= seatCount && rule.percentOff > best ? rule.percentOff : best), 0);
}

/**
 * The one pricing rule, shared by pricing.quote, tickets.purchase and the client: subtotal of the
 * seats' tier prices, less the best group discount, rounded to the nearest cent.
 */
export function priceOrder(pricesCents: readonly number[], rules: readonly GroupDiscountRule[]) {
  const subtotalCents = pricesCents.reduce((sum, p) => sum + p, 0);
  const percentOff = bestPercentOff(pricesCents.length, rules);
  const discountCents = Math.round((subtotalCents * percentOff) / 100);
  return { subtotalCents, percentOff, discountCents, totalCents: subtotalCents - discountCents };
}
