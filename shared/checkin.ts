import { z } from 'zod';
import type { IssuedTicket } from './tickets.js';

/** How far back a scan queued offline may date itself (older ones are recorded as now). */
export const OFFLINE_SCAN_MAX_AGE_MS = 24 * 3600_000;

export const scanTicketInput = z.object({
  /** What the QR code carries. Anything unknown answers INVALID rather than an error, as at a door. */
  barcode: z.string().trim().min(1, 'Scan or type a barcode.').max(200, 'At most 200 characters.'),
  /** The event being checked in: a ticket for another event answers INVALID. */
  eventId: z.uuid().optional(),
  /** Where the device stands ("North door"), as its user named it; shown on a later duplicate scan. */
  gate: z
    .string()
    .trim()
    .max(40, 'At most 40 characters.')
    .optional()
    .transform((gate) => gate || undefined),
  /**
   * When the scan happened, for scans queued while the device was offline and sent later. The
   * first scan to reach the server wins; this only dates it (kept within the last 24 hours).
   */
  scannedAt: z.iso.datetime({ offset: true, message: 'Expected a date and time, such as 2027-05-01T19:30:00Z.' }).optional(),
});
export type ScanTicketInput = z.infer<typeof scanTicketInput>;

export const checkinStatsInput = z.object({ eventId: z.uuid() });

/** The admission on record: when, at which gate, by whom (the staff member's name). */
export interface Admission {
  at: string;
  gate: string | null;
  by: string | null;
}

/** Admitted so far against tickets sold (valid or admitted), for one event. */
export interface CheckinCounts {
  eventId: string;
  checkedIn: number;
  sold: number;
}

export type ScanResult =
  | { result: 'OK'; ticket: IssuedTicket; admission: Admission; counts: CheckinCounts }
  | { result: 'ALREADY_CHECKED_IN'; ticket: IssuedTicket; firstScan: Admission; counts: CheckinCounts }
  | { result: 'INVALID'; reason: string; ticket?: IssuedTicket };
