/** How the waiting room says times to shoppers. */

const clock = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

/**
 * A pass's deadline as the visitor's own clock shows it ("7:42 PM"): it is minutes away, so the
 * time of day is enough, in the zone of the person racing it rather than the venue's.
 */
export function formatClock(iso: string): string {
  return clock.format(new Date(iso));
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * An estimated wait, only as precise as an estimate is: seconds under a minute, then minutes,
 * then hours and minutes ("about 3 minutes").
 */
export function formatWait(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s <= 5 ? 'a few seconds' : `about ${plural(s, 'second')}`;
  const minutes = Math.round(s / 60);
  if (minutes < 90) return `about ${plural(minutes, 'minute')}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `about ${plural(hours, 'hour')}${rest ? ` ${plural(rest, 'minute')}` : ''}`;
}
