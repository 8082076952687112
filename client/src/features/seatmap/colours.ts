import type { Tier } from './layout';

/** Distinct hues that keep white text readable and differ for common colour blindness. */
export const TIER_PALETTE = ['#2563eb', '#0f9488', '#c2410c', '#9333ea', '#be185d', '#4d7c0f', '#0e7490', '#b45309', '#4338ca', '#b91c1c'];

/** Each tier's colour on the map and in the legend, in the order the tiers come. */
export function tierColours(tiers: readonly Tier[]): Map<string, string> {
  return new Map(tiers.map((tier, i) => [tier.id, TIER_PALETTE[i % TIER_PALETTE.length]!]));
}

export const STATUS_COLOURS = {
  reserved: '#cbd2dc',
  sold: '#8b95a5',
  mine: '#111827',
  selectedRing: '#111827',
  /** A free seat of a presale the shopper has no code for: pale violet, edged (and padlocked when large) in deep violet. */
  locked: '#ddd6fe',
  lockedEdge: '#6d28d9',
} as const;
