import crypto from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A ticket barcode: 160 random bits as 32 characters of RFC 4648 base32 (what the QR code carries). */
export function newBarcode(): string {
  const bytes = crypto.randomBytes(20);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** Scanners and people type barcodes in either case, sometimes with spaces or dashes. */
export function normalizeBarcode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{26,64}$/.test(code) ? code : null;
}
