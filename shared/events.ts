import { z } from 'zod';
import type { SeatCounts } from './inventory.js';
import { paymentMethodSchema, type PaymentMethod } from './orders.js';
import type { Tier } from './pricing.js';

export type EventStatus = 'DRAFT' | 'ON_SALE' | 'CANCELLED';

const isoDateTime = z.iso.datetime({ offset: true, message: 'Expected an ISO-8601 date and time, such as 2027-05-01T19:30:00Z.' });
const name = z.string().trim().min(1, 'A name is required.').max(200, 'At most 200 characters.');
const venue = z.string().trim().min(1, 'A venue is required.').max(200, 'At most 200 characters.');
const description = z.string().trim().max(5000, 'At most 5000 characters.');
const imageUrl = z.url({ protocol: /^https?$/, message: 'Expected an http(s) address.' }).max(500, 'At most 500 characters.');
/** The zone's canonical name if the runtime knows it ("europe/london" -> "Europe/London"), else null. */
export function canonicalTimeZone(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(zone)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
/** An IANA time zone (the venue's): the event's times are entered and shown in it. */
const timeZone = z
  .string()
  .trim()
  .transform((zone, ctx) => {
    const canonical = canonicalTimeZone(zone);
    if (canonical) return canonical;
    ctx.addIssue({ code: 'custom', message: 'Expected a time zone such as Europe/London or America/New_York.' });
    return z.NEVER;
  });
/** How shoppers may pay for this event: at least one method, each once (listed in this order). */
const paymentMethods = z
  .array(paymentMethodSchema)
  .min(1, 'Offer at least one way to pay.')
  .max(3)
  .refine((m) => new Set(m).size === m.length, 'Name each way to pay once.');
/** Days a pay-later order has to be paid; never past the event's start. */
const payLaterDays = z
  .number({ message: 'Expected a number of days from 1 to 60.' })
  .int('Expected a whole number of days.')
  .min(1, 'Give at least 1 day to pay.')
  .max(60, 'At most 60 days.');
/** Cancelling is its own procedure (events.cancel), and final. */
const editableStatus = z.enum(['DRAFT', 'ON_SALE'], { message: 'Expected DRAFT or ON_SALE (use events.cancel to cancel).' });

const endsAfterStart = (e: { startsAt?: string; endsAt?: string | null }) =>
  !e.startsAt || !e.endsAt || Date.parse(e.endsAt) > Date.parse(e.startsAt);
const endsAfterStartIssue = { message: 'The end must be after the start.', path: ['endsAt'] };

export const listEventsInput = z
  .object({
    q: z.string().trim().max(100, 'At most 100 characters.').optional(),
    /** Events starting at or after this moment. */
    from: isoDateTime.optional(),
    /** Events starting before this moment. */
    to: isoDateTime.optional(),
    /** One venue, by its exact name (case aside): `events.venues` lists them. */
    venue: z.string().trim().min(1).max(200, 'At most 200 characters.').optional(),
    /** Events with a price tier at or under this (in the tier's currency's minor units). */
    maxPriceCents: z.number().int().min(0, 'A price cannot be negative.').max(10_000_000, 'At most 10,000,000.').optional(),
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
    includePast: z.boolean().default(false),
  })
  .refine((e) => !e.from || !e.to || Date.parse(e.to) > Date.parse(e.from), {
    message: 'The end of the range must be after its start.',
    path: ['to'],
  })
  .prefault({});
export type ListEventsInput = z.infer<typeof listEventsInput>;

export const eventByIdInput = z.object({ id: z.uuid() });

export const createEventInput = z
  .object({
    name,
    description: description.optional(),
    venue,
    startsAt: isoDateTime,
    endsAt: isoDateTime.nullish(),
    imageUrl: imageUrl.nullish(),
    /** Defaults to the installation's zone (TIME_ZONE). */
    timeZone: timeZone.optional(),
    status: editableStatus.optional(),
    /** Defaults to ['instant'] (pay when buying). */
    paymentMethods: paymentMethods.optional(),
    /** Defaults to 3. */
    payLaterDays: payLaterDays.optional(),
    /** Whether holders may send tickets to someone else; defaults to true. */
    transfersAllowed: z.boolean().optional(),
  })
  .refine(endsAfterStart, endsAfterStartIssue);
export type CreateEventInput = z.infer<typeof createEventInput>;

export const updateEventInput = z
  .object({
    id: z.uuid(),
    name: name.optional(),
    description: description.optional(),
    venue: venue.optional(),
    startsAt: isoDateTime.optional(),
    endsAt: isoDateTime.nullish(),
    imageUrl: imageUrl.nullish(),
    timeZone: timeZone.optional(),
    status: editableStatus.optional(),
    /** Defaults to ['instant'] (pay when buying). */
    paymentMethods: paymentMethods.optional(),
    /** Defaults to 3. */
    payLaterDays: payLaterDays.optional(),
    /** Whether holders may send tickets to someone else; defaults to true. */
    transfersAllowed: z.boolean().optional(),
  })
  .refine(endsAfterStart, endsAfterStartIssue);
export type UpdateEventInput = z.infer<typeof updateEventInput>;

export const cancelEventInput = z.object({ id: z.uuid() });

export interface Event {
  id: string;
  name: string;
  description: string;
  venue: string;
  startsAt: string;
  endsAt: string | null;
  imageUrl: string | null;
  /** IANA zone of the venue, such as "Europe/London". */
  timeZone: string;
  status: EventStatus;
  /** How shoppers may pay: `instant` (now), `box_office`, `bank_transfer` (later, by a deadline). */
  paymentMethods: PaymentMethod[];
  /** Days a pay-later order has to be paid (never past the start). */
  payLaterDays: number;
  /** Whether holders may send their tickets to someone else (tickets.transfer). */
  transfersAllowed: boolean;
  minPriceCents: number | null;
  currency: string | null;
  seats: SeatCounts;
}

/** `events.byId`: the event, its tiers and its group discount rules (smallest quantity first). */
export type EventWithTiers = Event & { tiers: Tier[]; groupDiscounts: { minQuantity: number; percentOff: number }[] };

export interface EventPage {
  items: Event[];
  nextCursor: string | null;
}
