import { z } from 'zod';
import type { IssuedTicket } from './tickets.js';

export const scanTicketInput = z.object({
  /** What the QR code carries. Anything unknown answers INVALID rather than an error, as at a door. */
  barcode: z.string().trim().min(1, 'Scan or type a barcode.').max(200, 'At most 200 characters.'),
  /** The event being checked in: a ticket for another event answers INVALID. */
  eventId: z.uuid().optional(),
});

export type ScanResult =
  | { result: 'OK'; ticket: IssuedTicket }
  | { result: 'ALREADY_CHECKED_IN'; ticket: IssuedTicket }
  | { result: 'INVALID'; reason: string; ticket?: IssuedTicket };
