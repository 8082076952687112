import { useEffect } from 'react';

export const SITE_DESCRIPTION =
  'Tessera sells seats to concerts, theatre and talks: pick the exact seat on a live seat map, hold it while you decide, and get tickets with QR codes.';

/** The tab title ("<title> · Tessera") and the page's meta description, for as long as the page shows. */
export function usePageMeta(title: string | null, description: string = SITE_DESCRIPTION): void {
  useEffect(() => apply(title, description), [title, description]);
}

function apply(title: string | null, description: string) {
  document.title = title ? `${title} · Tessera` : 'Tessera · Find your seat';
  let meta = document.querySelector<HTMLMetaElement>('meta[name="description"]');
  if (!meta) {
    meta = document.createElement('meta');
    meta.name = 'description';
    document.head.append(meta);
  }
  meta.content = description;
}

/** Titles (and descriptions where worth it) of the pages that say the same thing to everyone; event pages set their own. */
const ROUTES: Array<[RegExp, string, string?]> = [
  [/^\/login$/, 'Sign in', 'Sign in to Tessera to hold seats, buy tickets and see your orders.'],
  [/^\/register$/, 'Create an account', 'Create a Tessera account to hold seats and buy tickets.'],
  [/^\/forgot-password$/, 'Forgot password'],
  [/^\/reset-password$/, 'Choose a new password'],
  [/^\/verify-email$/, 'Confirm your email'],
  [/^\/unlock-account$/, 'Unlock your account'],
  [/^\/checkout$/, 'Checkout'],
  [/^\/tickets$/, 'My tickets'],
  [/^\/transfer$/, 'Claim a ticket', 'A ticket was sent to you on Tessera: see what it is, and claim it with your account.'],
  [/^\/profile$/, 'Your profile'],
  [/^\/staff\/events$/, 'Events · Staff'],
  [/^\/staff\/checkin$/, 'Check-in · Staff'],
  [/^\/staff\/orders$/, 'Orders · Staff'],
  [/^\/staff\/reports$/, 'Reports · Staff'],
  [/^\/admin\/users$/, 'Users · Admin'],
  [/^\/admin\/staff$/, 'Staff requests · Admin'],
  [/^\/admin\/audit$/, 'Audit log · Admin'],
];

/** The meta of a page in the table above; null for pages that set their own (the start page, events). */
export function routeMeta(pathname: string): { title: string; description?: string } | null {
  const found = ROUTES.find(([pattern]) => pattern.test(pathname));
  return found ? { title: found[1], ...(found[2] ? { description: found[2] } : {}) } : null;
}

/** Sets the meta of the page in view from the table; pages not in it set their own with usePageMeta. */
export function useRouteMeta(pathname: string): void {
  const meta = routeMeta(pathname);
  const title = meta?.title;
  const description = meta?.description;
  useEffect(() => {
    if (title) apply(title, description ?? SITE_DESCRIPTION);
  }, [title, description]);
}
