import { z } from 'zod';
import { MAX_HELD_PER_EVENT } from './seats.js';

/** How long the seats of an offer are held for the shopper it went to (minutes). */
export const OFFER_MINUTES = 30;

export const joinWaitlistInput = z
  .object({
    eventId: z.uuid(),
    quantity: z
      .number()
      .int('Expected a whole number of seats.')
      .min(1, 'At least 1 seat.')
      .max(MAX_HELD_PER_EVENT, `At most ${MAX_HELD_PER_EVENT} seats.`),
    /** Only seats of this tier; any seat when left out. */
    tierId: z.uuid().optional(),
  })
  .strict();
export type JoinWaitlistInput = z.infer<typeof joinWaitlistInput>;
export const waitlistEventInput = z.object({ eventId: z.uuid() }).strict();
export const removeWaitlistEntryInput = z.object({ id: z.uuid() }).strict();

export type WaitingStatus = 'WAITING' | 'OFFERED' | 'BOUGHT' | 'LAPSED' | 'LEFT' | 'REMOVED';

/** The caller's place on an event's waiting list. */
export interface MyWaitingEntry {
  id: string;
  eventId: string;
  quantity: number;
  tierId: string | null;
  status: 'WAITING' | 'OFFERED';
  /** 1 for the next in line (counting those waiting ahead, not offers already made). */
  position: number;
  /** An offer: its seats are held for the caller until then. */
  offerExpiresAt: string | null;
  createdAt: string;
}

/** An entry as staff see it. */
export interface WaitingEntry {
  id: string;
  userName: string;
  email: string;
  quantity: number;
  tierName: string | null;
  status: WaitingStatus;
  offerExpiresAt: string | null;
  createdAt: string;
}
