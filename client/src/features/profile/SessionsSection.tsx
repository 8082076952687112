import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PendingButton } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { useToast } from '../../components/Toasts';
import { formatDateTime } from '../../lib/format';
import { trpc } from '../../trpc';
import { useLogoutEverywhere, useRevokeSession } from './api';

/** Every device signed in to this account; any other one can be signed out from here. */
export function SessionsSection() {
  const toast = useToast();
  const navigate = useNavigate();
  const sessions = trpc.auth.sessions.useQuery();
  const revoke = useRevokeSession();
  const logoutAll = useLogoutEverywhere();
  const [revoking, setRevoking] = useState<string | null>(null);
  const busy = revoke.pending || logoutAll.pending;

  const revokeOne = (sessionId: string) => {
    setRevoking(sessionId);
    revoke.run({ sessionId }, { onSuccess: () => toast.success('That device is signed out.'), onSettled: () => setRevoking(null) });
  };

  const everywhere = () =>
    logoutAll.run(undefined, {
      onSuccess: ({ revoked }) => {
        toast.success(`Signed out of ${revoked === 1 ? '1 session' : `${revoked} sessions`}.`);
        void navigate('/login', { replace: true });
      },
    });

  return (
    <section className="card wide" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you’re signed in</h2>
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <LoadError error={sessions.error} />
      ) : (
        <ul className="session-list">
          {sessions.data.map((s) => (
            <li key={s.id}>
              <div>
                <strong>{describeAgent(s.userAgent)}</strong> {s.current && <span className="badge badge-ok">This device</span>}
                <p className="small muted">
                  {s.ip ?? 'Unknown address'} · signed in {formatDateTime(s.createdAt)}
                  {s.lastUsedAt ? ` · last active ${formatDateTime(s.lastUsedAt)}` : ''}
                </p>
              </div>
              {!s.current && (
                <PendingButton
                  type="button"
                  variant="secondary"
                  className="button-small"
                  pending={revoking === s.id}
                  pendingLabel="Signing out…"
                  disabled={busy}
                  onClick={() => revokeOne(s.id)}
                >
                  Sign out
                </PendingButton>
              )}
            </li>
          ))}
        </ul>
      )}
      <PendingButton
        type="button"
        variant="danger"
        pending={logoutAll.pending}
        pendingLabel="Signing out everywhere…"
        disabled={busy}
        onClick={everywhere}
      >
        Log out everywhere
      </PendingButton>
    </section>
  );
}

/** "Chrome on macOS" from a User-Agent header, or as much of it as can be told. */
function describeAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : null;
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad/.test(userAgent)
        ? 'iOS'
        : /Mac OS X/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : null;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? userAgent.slice(0, 60);
}
