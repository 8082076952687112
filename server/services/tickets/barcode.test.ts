import { describe, expect, it } from 'vitest';
import { newBarcode, normalizeBarcode } from './barcode.js';

describe('ticket barcodes', () => {
  it('are 32 base32 characters (160 random bits) and do not repeat', () => {
    const codes = Array.from({ length: 5000 }, newBarcode);
    for (const code of codes.slice(0, 50)) expect(code).toMatch(/^[A-Z2-7]{32}$/);
    expect(new Set(codes).size).toBe(codes.length);
    // Every symbol turns up: the encoding uses all 5 bits of each character.
    expect(new Set(codes.join('')).size).toBe(32);
  });

  it('normalizes what a scanner or a person types, and rejects anything that cannot be a barcode', () => {
    const code = newBarcode();
    expect(normalizeBarcode(code.toLowerCase())).toBe(code);
    expect(normalizeBarcode(`${code.slice(0, 8)}-${code.slice(8, 16)} ${code.slice(16)}`)).toBe(code);
    expect(normalizeBarcode('ABC')).toBeNull();
    expect(normalizeBarcode('0'.repeat(32))).toBeNull();
    expect(normalizeBarcode("' OR 1=1 --")).toBeNull();
  });
});
