import { z } from 'zod';
import { MAX_SEAT_NUMBER, rowIndex, rowName } from './seats.js';

/**
 * Venue layouts: named sections (Stalls, Circle, Balcony) of rows, with seat numbering, aisles,
 * missing seats and accessible or restricted-view places. A layout names tiers by name, so the
 * same layout (a venue template) fits any event that has tiers of those names.
 *
 * Seats stay keyed (eventId, rowName, seatNumber): a section's rows are keyed `<prefix>-<row>`
 * when the section has a prefix (C-A), else by the row letters alone, so two sections may both
 * have a row A as long as one of them has a prefix. Each seat also gets its section's name, its
 * place in the row (`position`, counting aisle gaps and missing seats, from the left as the
 * audience faces the stage) and its features.
 */

export const MAX_LAYOUT_SEATS = 100_000;
export const MAX_SECTIONS = 20;
export const MAX_SEATS_PER_ROW = 1_000;

export const SEAT_FEATURES = { wheelchair: 1, companion: 2, restricted: 4 } as const;
export type SeatFeature = keyof typeof SEAT_FEATURES;
export const FEATURE_NAMES: Record<SeatFeature, string> = {
  wheelchair: 'Wheelchair space',
  companion: 'Companion seat',
  restricted: 'Restricted view',
};

/** The feature names set in a bit mask, in a fixed order. */
export function featureList(mask: number): SeatFeature[] {
  return (Object.keys(SEAT_FEATURES) as SeatFeature[]).filter((f) => (mask & SEAT_FEATURES[f]) !== 0);
}

const rowLetters = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3}$/, 'A row is 1 to 3 letters, such as A or AB.');
/** "A7": a row's letters and a seat number, within one section. */
const seatRef = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3}\d{1,6}$/, 'Name seats as row and number, such as A7.');
const seatRefs = z.array(seatRef).max(5_000, 'At most 5,000 seats per list.').default([]);

export const layoutRowGroup = z
  .object({
    /** The first row of the group, and the last (the same when it is one row). */
    from: rowLetters,
    to: rowLetters.optional(),
    seats: z
      .number({ message: 'Give a number of seats per row.' })
      .int('A whole number of seats.')
      .min(1, 'At least 1 seat per row.')
      .max(MAX_SEATS_PER_ROW, `At most ${MAX_SEATS_PER_ROW} seats per row.`),
    /** ltr: 1, 2, 3 from the left; rtl: from the right; odd-even: odd numbers left of the centre, even right, rising outwards. */
    numbering: z.enum(['ltr', 'rtl', 'odd-even'], { message: 'Numbering is ltr, rtl or odd-even.' }).default('ltr'),
    firstNumber: z.number().int().min(1).max(MAX_SEAT_NUMBER).default(1),
    /** An aisle after this many seats from the left (each one empty place wide). */
    aisles: z.array(z.number().int().min(1)).max(20, 'At most 20 aisles per row.').default([]),
    /** The tier's name on the event. */
    tier: z.string().trim().min(1, 'Choose a tier.').max(60),
  })
  .refine((g) => !g.to || rowIndex(g.to) >= rowIndex(g.from), { message: 'The last row comes after the first.', path: ['to'] })
  .refine((g) => g.aisles.every((a) => a < g.seats), { message: 'An aisle goes between seats: after 1 to seats - 1.', path: ['aisles'] });

export const layoutSection = z.object({
  name: z.string().trim().min(1, 'Name the section, such as Stalls.').max(40, 'At most 40 characters.'),
  /** Put before its rows' names (C-A) so rows may repeat letters used by other sections. */
  prefix: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9]{1,3}$/, 'A prefix is 1 to 3 letters or digits.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  rows: z.array(layoutRowGroup).min(1, 'A section has at least one row.').max(500),
  /** Seats left out (a pillar, a wheelchair bay): their place stays empty. */
  missing: seatRefs,
  wheelchair: seatRefs,
  companion: seatRefs,
  restricted: seatRefs,
});

export const venueLayout = z
  .object({ sections: z.array(layoutSection).min(1, 'Add at least one section.').max(MAX_SECTIONS, `At most ${MAX_SECTIONS} sections.`) })
  .superRefine((layout, ctx) => {
    const names = new Set<string>();
    const keys = new Map<string, string>();
    let total = 0;
    layout.sections.forEach((section, s) => {
      const lower = section.name.toLowerCase();
      if (names.has(lower)) ctx.addIssue({ code: 'custom', path: ['sections', s, 'name'], message: 'Another section has this name.' });
      names.add(lower);
      const rows = new Map<string, Set<number>>();
      section.rows.forEach((group, g) => {
        const numbers = numbersOf(group);
        if (Math.max(...numbers) > MAX_SEAT_NUMBER) {
          ctx.addIssue({ code: 'custom', path: ['sections', s, 'rows', g, 'seats'], message: `Seat numbers go up to ${MAX_SEAT_NUMBER}.` });
        }
        for (const letters of groupRows(group)) {
          const key = section.prefix ? `${section.prefix}-${letters}` : letters;
          const owner = keys.get(key);
          if (owner !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: ['sections', s, 'rows', g, 'from'],
              message:
                owner === section.name ? `Row ${letters} is given twice.` : `Row ${key} is also in ${owner}: give one of the sections a prefix.`,
            });
            return;
          }
          keys.set(key, section.name);
          rows.set(letters, new Set(numbers));
          total += group.seats;
        }
      });
      for (const list of ['missing', 'wheelchair', 'companion', 'restricted'] as const) {
        section[list].forEach((ref, i) => {
          const { letters, number } = parseRef(ref);
          if (!rows.get(letters)?.has(number)) {
            ctx.addIssue({ code: 'custom', path: ['sections', s, list, i], message: `${section.name} has no seat ${ref}.` });
          } else if (list !== 'missing' && section.missing.includes(ref)) {
            ctx.addIssue({ code: 'custom', path: ['sections', s, list, i], message: `Seat ${ref} is listed as missing.` });
          }
        });
      }
    });
    if (total > MAX_LAYOUT_SEATS)
      ctx.addIssue({ code: 'custom', path: ['sections'], message: `At most ${MAX_LAYOUT_SEATS.toLocaleString('en-US')} seats (this has ${total}).` });
  });
export type VenueLayout = z.infer<typeof venueLayout>;
export type VenueLayoutInput = z.input<typeof venueLayout>;

function groupRows(group: { from: string; to?: string | undefined }): string[] {
  const first = rowIndex(group.from);
  const last = group.to ? rowIndex(group.to) : first;
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => rowName(first + i));
}

function parseRef(ref: string): { letters: string; number: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
  return { letters: m[1]!, number: Number(m[2]) };
}

/** The seat numbers of one row of a group, from the left. */
function numbersOf(group: { seats: number; numbering: 'ltr' | 'rtl' | 'odd-even'; firstNumber: number }): number[] {
  const n = group.seats;
  if (group.numbering === 'ltr') return Array.from({ length: n }, (_, i) => group.firstNumber + i);
  if (group.numbering === 'rtl') return Array.from({ length: n }, (_, i) => group.firstNumber + n - 1 - i);
  // Odd to the left of the centre (... 5 3 1), even to the right (2 4 6 ...).
  const left = Math.ceil(n / 2);
  return Array.from({ length: n }, (_, i) => (i < left ? 2 * (left - i) - 1 : 2 * (i - left + 1)));
}

export interface LaidOutSeat {
  row: string;
  number: number;
  section: string;
  position: number;
  features: number;
  tier: string;
}

/**
 * Every seat of a layout, row by row from the stage back, each row from the left. The server
 * inserts exactly these; the staff preview draws exactly these.
 */
export function expandLayout(layout: VenueLayout): LaidOutSeat[] {
  const seats: LaidOutSeat[] = [];
  for (const section of layout.sections) {
    const flags = new Map<string, number>();
    for (const feature of ['wheelchair', 'companion', 'restricted'] as const) {
      for (const ref of section[feature]) flags.set(ref, (flags.get(ref) ?? 0) | SEAT_FEATURES[feature]);
    }
    const missing = new Set(section.missing);
    for (const group of section.rows) {
      const numbers = numbersOf(group);
      const aisles = new Set(group.aisles);
      for (const letters of groupRows(group)) {
        const row = section.prefix ? `${section.prefix}-${letters}` : letters;
        let position = 0;
        numbers.forEach((number, i) => {
          const ref = `${letters}${number}`;
          if (!missing.has(ref)) seats.push({ row, number, section: section.name, position, features: flags.get(ref) ?? 0, tier: group.tier });
          position += aisles.has(i + 1) ? 2 : 1;
        });
      }
    }
  }
  return seats;
}

export const generateLayoutInput = z.object({ eventId: z.uuid(), layout: venueLayout });
export const saveTemplateInput = z.object({
  name: z.string().trim().min(1, 'Name the template, such as Harbour Hall.').max(80, 'At most 80 characters.'),
  layout: venueLayout,
});
export const templateIdInput = z.object({ id: z.uuid() });
