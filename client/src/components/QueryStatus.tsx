import type { ReactNode } from 'react';
import { errorMessage } from '../lib/errors';

/** What a list or page shows while its query loads. */
export function Loading({ children = 'Loading…', className = 'muted' }: { children?: ReactNode; className?: string }) {
  return (
    <p role="status" className={className}>
      {children}
    </p>
  );
}

/** What a list or page shows when its query failed. */
export function LoadError({ error }: { error: unknown }) {
  return (
    <p role="alert" className="form-error">
      {errorMessage(error)}
    </p>
  );
}

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** The button under a paged list, while the query has more pages (centred unless `centered` is false). */
export function LoadMore({ query, label = 'Load more', centered = true }: { query: Pages; label?: string; centered?: boolean }) {
  if (!query.hasNextPage) return null;
  const button = (
    <button type="button" className="button button-secondary" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
      {query.isFetchingNextPage ? 'Loading…' : label}
    </button>
  );
  return centered ? <div className="center">{button}</div> : button;
}
