/** Money and event times as people read them; the client and the server's mail and PDFs share these. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** Integer minor units + ISO currency -> "$120.00", with the currency's own number of decimals. */
export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

/** The number of minor units in one major unit ("USD" -> 100, "JPY" -> 1). */
export function minorUnits(currency: string): number {
  try {
    const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return 10 ** digits;
  } catch {
    return 100;
  }
}

/** How an event's date and time read everywhere: "Sat, Dec 12, 2026, 7:30 PM". */
export const EVENT_TIME_FORMAT: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
};

/** "Sat, Dec 12, 2026, 7:30 PM GMT" in the given zone: for text that no browser localises (mail, PDFs). */
export function formatEventTime(iso: string | Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', { ...EVENT_TIME_FORMAT, timeZone, timeZoneName: 'short' }).format(new Date(iso));
}
