import { describe, expect, it } from 'vitest';
import { bestPercentOff, priceOrder } from './pricing.js';

describe('priceOrder (the rule pricing.quote and tickets.purchase share)', () => {
  const rules = [
    { minQuantity: 4, percentOff: 10 },
    { minQuantity: 2, percentOff: 5 },
    { minQuantity: 8, percentOff: 25 },
  ];

  it('applies the largest discount whose minimum the seat count reaches', () => {
    expect(bestPercentOff(1, rules)).toBe(0);
    expect(bestPercentOff(2, rules)).toBe(5);
    expect(bestPercentOff(7, rules)).toBe(10);
    expect(bestPercentOff(10, rules)).toBe(25);
    expect(bestPercentOff(10, [])).toBe(0);
  });

  it('rounds the discount to the nearest cent and keeps total = subtotal - discount', () => {
    expect(priceOrder([999, 999], rules)).toEqual({ subtotalCents: 1998, percentOff: 5, discountCents: 100, totalCents: 1898 });
    expect(priceOrder([333, 333, 333, 334], rules)).toEqual({ subtotalCents: 1333, percentOff: 10, discountCents: 133, totalCents: 1200 });
    expect(priceOrder([1000], [{ minQuantity: 1, percentOff: 100 }])).toMatchObject({ discountCents: 1000, totalCents: 0 });
    expect(priceOrder([0, 0], rules)).toEqual({ subtotalCents: 0, percentOff: 5, discountCents: 0, totalCents: 0 });
  });
});
