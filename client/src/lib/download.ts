import { fetchRenewing, refusalMessage } from './plain-route';

/**
 * Downloads a file from a plain GET route under the visitor's session (renewing an expired access
 * token once), and saves it under the server's file name.
 */
export async function downloadFile(url: string): Promise<void> {
  const response = await fetchRenewing(() => fetch(url, { credentials: 'include' }));
  if (!response.ok) throw new Error(refusalMessage(await response.json().catch(() => null)) ?? 'The download failed. Please try again.');
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** The PDF of an order's tickets, or of one of them. */
export const ticketsPdfUrl = (orderId: string, seat?: { row: string; number: number }) =>
  `/api/orders/${orderId}/tickets.pdf${seat ? `?row=${seat.row}&number=${seat.number}` : ''}`;
