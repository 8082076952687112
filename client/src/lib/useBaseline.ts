import { useState } from 'react';

/**
 * A form's values against what was last loaded or saved: `dirty` when they differ, `rebase` after
 * a save. Compared as JSON, which is exact for the plain strings, numbers and arrays forms hold.
 */
export function useBaseline<T>(values: T): { dirty: boolean; rebase: (saved: T) => void } {
  const [baseline, setBaseline] = useState(() => JSON.stringify(values));
  return { dirty: JSON.stringify(values) !== baseline, rebase: (saved: T) => setBaseline(JSON.stringify(saved)) };
}
