import { z } from 'zod';

/**
 * The virtual waiting room of an on-sale (`queue.*`). Staff switch it on for an event with a start
 * time and an admission rate; from then on the event's seat map, reserve and purchase need an
 * admission pass, which the queue hands out in order at that rate.
 *
 * Shoppers who join before the start are placed at random among everyone who joined before it
 * (refreshing at 09:59:59 gains nothing); after the start, first come first served. An account has
 * one place per event: joining again, from any tab, returns the same place.
 */

/** How long an admitted shopper has to start shopping (hold a seat) before the place passes on. */
export const PASS_USE_MINUTES = 5;
/** How long a pass lasts from admission: the time to hold seats and pay for them. */
export const PASS_MINUTES = 20;
export const MAX_RATE_PER_MINUTE = 100_000;

/** A pass as the procedures take it: the `pass` field of seat map, reserve and purchase inputs. */
export const admissionPassSchema = z.string().min(1, 'An admission pass is required.').max(2000, 'That is not an admission pass.');

export const queueEventInput = z.object({ eventId: z.uuid() }).strict();

export const configureQueueInput = z
  .object({
    eventId: z.uuid(),
    /** When admission starts (ISO 8601 with an offset). Joins before it are drawn at random. */
    startsAt: z.iso.datetime({ offset: true, message: 'Give the start as a date and time with its offset.' }),
    ratePerMinute: z
      .number({ message: 'Expected a number of shoppers a minute.' })
      .int('Shoppers a minute is a whole number.')
      .min(1, 'Admit at least one shopper a minute.')
      .max(MAX_RATE_PER_MINUTE, `At most ${MAX_RATE_PER_MINUTE.toLocaleString('en-US')} shoppers a minute.`),
  })
  .strict();
export type ConfigureQueueInput = z.infer<typeof configureQueueInput>;

/** The waiting room of an event as anyone may see it; null from `queue.settings` when it has none. */
export interface QueueSettings {
  eventId: string;
  startsAt: string;
  ratePerMinute: number;
  /** Staff opened the doors: no pass is needed any more. */
  doorsOpen: boolean;
}

/**
 * The caller's place, from `queue.join` and the `queue.status` stream.
 * - `draw`: joined before the start; the order among everyone who did is drawn at random, so there
 *   is no position yet (`waiting` says how many are in the draw).
 * - `waiting`: `position` 1 is next; `estimatedWaitSeconds` from the rate.
 * - `admitted`: `pass` is the caller's admission pass until `pass.expiresAt`; it lapses unused at
 *   `pass.useBy` (hold a seat before then).
 * - `shopping`: the pass was used to hold seats; it lasts until `pass.expiresAt`.
 * - `done`: the pass bought tickets and is spent. `lapsed`: it expired; join again for a new place
 *   at the back. `open`: the doors are open (or the room is off): no pass is needed.
 * - `none`: the caller has no place (only from the stream, before joining).
 */
export type QueueState = 'none' | 'draw' | 'waiting' | 'admitted' | 'shopping' | 'done' | 'lapsed' | 'open';

export interface QueueStatus {
  eventId: string;
  state: QueueState;
  /** 1 = next in line; null outside `waiting`. */
  position: number | null;
  /** Shoppers waiting in all (the draw, before the start). */
  waiting: number;
  ratePerMinute: number;
  startsAt: string;
  /** Seconds until the caller is likely admitted (the start, then the place at the rate); null outside `draw` and `waiting`. */
  estimatedWaitSeconds: number | null;
  pass: { token: string; useBy: string; expiresAt: string } | null;
}

/** What staff see of a room, live. */
export interface QueueStats extends QueueSettings {
  /** Shoppers in line now. */
  waiting: number;
  /** Admitted and not yet holding seats. */
  admitted: number;
  /** Holding seats on a pass. */
  shopping: number;
  /** Passes that bought tickets. */
  done: number;
  /** Passes that expired unused or unpaid. */
  lapsed: number;
  /** Admitted in the last minute (the rate actually achieved). */
  admittedLastMinute: number;
  /** Seats sold for the event. */
  sold: number;
}

/** Estimated seconds to admission for `position` at `ratePerMinute`, starting `untilStartSeconds` from now. */
export function estimateWaitSeconds(position: number, ratePerMinute: number, untilStartSeconds = 0): number {
  return Math.max(0, Math.round(untilStartSeconds)) + Math.ceil((position * 60) / ratePerMinute);
}
