import { createContext, useCallback, useContext, useEffect, useId, useMemo, type ReactNode } from 'react';
import { UNSAFE_DataRouterContext, useBlocker } from 'react-router';

interface Registry {
  /** Form id -> what it edits ("Price tiers"), for the forms that hold edits not yet saved. */
  dirty: Map<string, string>;
}

const UnsavedContext = createContext<Registry | null>(null);

/** What is unsaved, as a sentence, or null when nothing is. */
function describe(registry: Registry): string | null {
  const labels = [...new Set(registry.dirty.values())];
  return labels.length ? `You have unsaved changes (${labels.join(', ')}). Leave without saving them?` : null;
}

/** Asks before anything that would throw edits away; true when there are none or the user agrees. */
function confirmLeave(registry: Registry | null): boolean {
  const question = registry && describe(registry);
  return !question || window.confirm(question);
}

/**
 * Keeps track of forms with unsaved edits: a link, a back button or a change of `?event=` asks
 * first (react-router's blocker), and so does closing or reloading the tab (`beforeunload`).
 */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const registry = useMemo<Registry>(() => ({ dirty: new Map() }), []);
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (registry.dirty.size > 0) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [registry]);
  return (
    <UnsavedContext.Provider value={registry}>
      {/* The blocker needs a data router (the app's); component tests render in a plain one. */}
      {dataRouter && <LeaveGuard registry={registry} />}
      {children}
    </UnsavedContext.Provider>
  );
}

function LeaveGuard({ registry }: { registry: Registry }) {
  const shouldBlock = useCallback(
    ({
      currentLocation,
      nextLocation,
    }: {
      currentLocation: { pathname: string; search: string };
      nextLocation: { pathname: string; search: string };
    }) => registry.dirty.size > 0 && (currentLocation.pathname !== nextLocation.pathname || currentLocation.search !== nextLocation.search),
    [registry],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (confirmLeave(registry)) {
      registry.dirty.clear();
      blocker.proceed();
    } else {
      blocker.reset();
    }
  }, [blocker, registry]);
  return null;
}

/**
 * A form reports whether it holds unsaved edits. `saved()` forgets them at once (before the form
 * navigates after saving, when its state has not been re-rendered yet).
 */
export function useUnsavedChanges(label: string, dirty: boolean): { saved: () => void } {
  const registry = useContext(UnsavedContext);
  const id = useId();
  useEffect(() => {
    if (!registry) return;
    if (dirty) registry.dirty.set(id, label);
    else registry.dirty.delete(id);
    return () => {
      registry.dirty.delete(id);
    };
  }, [registry, id, label, dirty]);
  return useMemo(() => ({ saved: () => registry?.dirty.delete(id) }), [registry, id]);
}

/** For switches that are not navigations (tabs): call before switching; false means stay. */
export function useConfirmLeave(): () => boolean {
  const registry = useContext(UnsavedContext);
  return useCallback(() => {
    if (!confirmLeave(registry)) return false;
    registry?.dirty.clear();
    return true;
  }, [registry]);
}
