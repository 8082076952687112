import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';

type Tone = 'success' | 'error' | 'info';
interface Toast {
  id: number;
  tone: Tone;
  text: string;
  /** When it was shown (ms since the epoch). */
  at: number;
}

/** A toast shown this recently belongs to the page a navigation leads to (say, "Order placed"), not to the one it leaves. */
const SAME_ACTION_MS = 300;

interface ToastApi {
  show(text: string, tone?: Tone): void;
  error(text: string): void;
  success(text: string): void;
  /** Drops the toasts of the page being left (called on every navigation). */
  dropStale: () => void;
}

const ToastContext = createContext<ToastApi | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (text: string, tone: Tone = 'info') => {
      const id = nextId.current++;
      setToasts((all) => [...all.slice(-3), { id, tone, text, at: Date.now() }]);
      window.setTimeout(() => dismiss(id), tone === 'error' ? 8000 : 5000);
    },
    [dismiss],
  );
  const dropStale = useCallback(() => {
    const cutoff = Date.now() - SAME_ACTION_MS;
    setToasts((all) => (all.some((t) => t.at < cutoff) ? all.filter((t) => t.at >= cutoff) : all));
  }, []);
  const api = useMemo<ToastApi>(
    () => ({ show, error: (text) => show(text, 'error'), success: (text) => show(text, 'success'), dropStale }),
    [show, dropStale],
  );

  return (
    <ToastContext.Provider value={api}>
      {children}
      <div className="toasts" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
            <span>{toast.text}</span>
            <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error('useToast needs a ToastProvider');
  return api;
}
