/**
 * Text PostgreSQL cannot store: the NUL character, and UTF-16 halves of a character (lone
 * surrogates), which have no UTF-8 form. Such input is refused as invalid before it reaches the
 * database, where it would fail the whole statement (and, through Prisma's batching of identical
 * queries, the other requests batched with it).
 */
// eslint-disable-next-line no-control-regex -- the NUL character is exactly what this refuses.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'Remove the invisible control or broken characters from this text.';

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The path ("seats.0.row") of the first string or key in `value` that cannot be stored, or null. */
export function unstorableTextPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path.join('.');
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorableTextPath(item, [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key].join('.');
      const found = unstorableTextPath(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}
