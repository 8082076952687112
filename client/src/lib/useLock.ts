import { useCallback, useRef, useState } from 'react';

/**
 * A lock for one action: a second press while the first call runs does nothing, even before React
 * has re-rendered the button as disabled (two clicks in the same frame).
 */
export function useLock() {
  const held = useRef(false);
  const [locked, setLocked] = useState(false);
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    if (held.current) return undefined;
    held.current = true;
    setLocked(true);
    try {
      return await action();
    } finally {
      held.current = false;
      setLocked(false);
    }
  }, []);
  return { run, locked };
}
