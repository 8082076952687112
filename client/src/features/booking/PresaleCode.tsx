import { useState, type FormEvent } from 'react';
import { PendingButton, TextField } from '../../components/Form';
import { errorMessage } from '../../lib/errors';
import type { StoredPresale } from '../../lib/holds';
import { trpc } from '../../trpc';
import { voucherCodeSchema } from '../../../../shared/vouchers';
import type { Tier } from '../seatmap/layout';

interface PresaleCodeProps {
  eventId: string;
  tiers: readonly Tier[];
  unlocked: StoredPresale | null;
  onUnlock: (unlocked: StoredPresale) => void;
}

/** "Presale, Members": the names of the tiers a code opens, in the event's order. */
function tierNames(tiers: readonly Tier[], ids: readonly string[]): string {
  return tiers
    .filter((t) => ids.includes(t.id))
    .map((t) => t.name)
    .join(', ');
}

/**
 * "Have a presale code?": the code is checked by the server (vouchers.unlock), and the hidden tiers
 * it opens become choosable on the map. A code it refuses (or too many tries) is said beside the
 * field, in the server's words.
 */
export function PresaleCode({ eventId, tiers, unlocked, onUnlock }: PresaleCodeProps) {
  const utils = trpc.useUtils();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  // Once a code is in, the form folds away until the visitor wants to use another.
  const [another, setAnother] = useState(false);
  const opened = unlocked ? tierNames(tiers, unlocked.tierIds) : '';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (checking) return;
    // The code's own shape is checked here first, with the API's message.
    const code = voucherCodeSchema.safeParse(typed);
    if (!code.success) return setError(code.error.issues[0]?.message ?? 'Enter a presale code.');
    setChecking(true);
    setError(null);
    utils.vouchers.unlock
      .fetch({ eventId, code: code.data })
      .then((result) => {
        if (result.tierIds.length === 0) return setError('This code opens no presale seats just now.');
        onUnlock({ code: result.code, tierIds: result.tierIds });
        setTyped('');
        setAnother(false);
      })
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setChecking(false));
  };

  return (
    <div className="presale">
      <h3 id="presale-title">Have a presale code?</h3>
      {unlocked && opened && (
        <p role="status" className="notice notice-ok presale-opened">
          Code <strong>{unlocked.code}</strong> unlocks {opened}: choose {unlocked.tierIds.length === 1 ? 'its' : 'their'} seats on the map.
        </p>
      )}
      {unlocked && opened && !another ? (
        <button type="button" className="link-button small" onClick={() => setAnother(true)}>
          Use another presale code
        </button>
      ) : (
        <form className="inline-form presale-form" onSubmit={submit} noValidate aria-labelledby="presale-title">
          {!unlocked && <p className="small muted presale-intro">Some seats are in a presale: a code opens them.</p>}
          <TextField
            label="Presale code"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            errors={error ? [error] : undefined}
          />
          <PendingButton type="submit" variant="secondary" pending={checking} pendingLabel="Checking…" disabled={!typed.trim()}>
            Unlock
          </PendingButton>
        </form>
      )}
    </div>
  );
}
