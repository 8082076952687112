import { useToast } from '../../components/Toasts';

/** Shown once, right after two-step verification is turned on. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const toast = useToast();
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step verification is on</h2>
      <p>Keep these recovery codes somewhere safe. Each one signs you in once if you lose your phone. They are shown only now.</p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void navigator.clipboard?.writeText(codes.join('\n')).then(() => toast.success('Copied.'))}
        >
          Copy codes
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I saved them
        </button>
      </div>
    </section>
  );
}
