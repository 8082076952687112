import { useServiceUnavailable } from '../lib/service-status';

/** "We'll be right back" while the server answers 503; the queries behind the page keep retrying. */
export function ServiceBanner() {
  const unavailable = useServiceUnavailable();
  return (
    <div role="status" aria-live="polite" className={unavailable ? 'service-banner' : 'visually-hidden'}>
      {unavailable ? "We'll be right back. Tessera is briefly unavailable; this page retries on its own." : ''}
    </div>
  );
}
