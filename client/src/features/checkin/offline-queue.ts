/** A scan that could not reach the server: kept on this device and sent, in order, when it can. */
export interface QueuedScan {
  id: string;
  barcode: string;
  eventId?: string;
  gate?: string;
  /** When it was scanned, so the admission is dated right when it reaches the server. */
  scannedAt: string;
  /** Who scanned it: it is sent only while they are signed in, so the log names the right person. */
  userId: string;
}

const KEY = 'tessera:checkin-queue';
/** A door's worth of scans; beyond it the oldest stay and new ones are refused (the page says so). */
export const MAX_QUEUED = 5000;

export function loadQueue(): QueuedScan[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isQueuedScan) : [];
  } catch {
    return [];
  }
}

export function saveQueue(queue: readonly QueuedScan[]): void {
  if (queue.length === 0) localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, JSON.stringify(queue));
}

function isQueuedScan(value: unknown): value is QueuedScan {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.barcode === 'string' && typeof v.scannedAt === 'string' && typeof v.userId === 'string';
}
