import { Link, useNavigate, useSearchParams } from 'react-router';
import { FormError, PendingButton } from '../components/Form';
import { LoadError, Loading } from '../components/QueryStatus';
import { QrCode } from '../components/QrCode';
import { useLogout } from '../features/auth/api';
import { useClaimTransfer } from '../features/transfers/api';
import { reasonOf } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useSession } from '../lib/session';
import { trpc, type RouterOutputs } from '../trpc';

type Preview = RouterOutputs['tickets']['transferPreview'];

/** Where sign-in and registration lead back to, with the address the ticket was sent to filled in. */
function authLink(page: '/login' | '/register', back: string, email: string) {
  return `${page}?next=${encodeURIComponent(back)}&email=${encodeURIComponent(email)}`;
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The ticket a link holds: event, seat, who sent it to which address. */
function TicketSummary({ preview }: { preview: Preview }) {
  return (
    <div className="claim-ticket">
      <p className="eyebrow">{preview.tierName}</p>
      <p className="ticket-seat">
        Row {preview.row} · Seat {preview.number}
      </p>
      <p className="claim-event">
        <Link to={`/events/${preview.eventId}`}>{preview.eventName}</Link>
      </p>
      <p className="muted small">
        {formatDateTime(preview.startsAt)} · {preview.venue}
      </p>
    </div>
  );
}

/**
 * The page a mailed claim link opens (`/transfer?token=…`): what was sent and by whom, and claiming
 * it with the account of the address it was sent to. Signed out, it says to sign in or register
 * with that address, and both lead back here.
 */
export function ClaimTransferPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { user, loading } = useSession();
  const navigate = useNavigate();
  const preview = trpc.tickets.transferPreview.useQuery({ token }, { enabled: token.length > 0, retry: false });
  const claim = useClaimTransfer();
  const logout = useLogout();
  const back = `/transfer?token=${encodeURIComponent(token)}`;

  if (!token) {
    return (
      <section className="auth-card card">
        <h1>Claim link missing</h1>
        <p className="muted">This page needs the link from the mail that told you a ticket was sent to you.</p>
      </section>
    );
  }
  if (preview.isPending || loading) {
    return (
      <section className="auth-card card">
        <h1>A ticket for you</h1>
        <Loading>Loading the ticket…</Loading>
      </section>
    );
  }
  if (preview.isError) {
    const unknown = reasonOf(preview.error) === 'TRANSFER_NOT_FOUND' || reasonOf(preview.error) === 'INVALID_INPUT';
    return (
      <section className="auth-card card">
        <h1>{unknown ? 'This link does not work' : 'A ticket for you'}</h1>
        <LoadError error={preview.error} />
        {unknown && <p className="muted">Check that the whole link from the mail was opened, or ask the sender to send the ticket again.</p>}
      </section>
    );
  }

  const sent = preview.data;
  const claimed = claim.data;
  if (claimed) {
    return (
      <section className="auth-card card claim-card">
        <h1>It’s yours</h1>
        <p role="status" className="success-text">
          The ticket is yours now, under a new barcode that only you have.
        </p>
        <TicketSummary preview={sent} />
        <div className="claim-code">
          <QrCode value={claimed.barcode} label={`QR code for row ${claimed.row} seat ${claimed.number}`} />
          <code className="ticket-code">{claimed.barcode}</code>
        </div>
        <p className="small muted">Show the QR code at the door. The ticket is on its way to your mail too, as a PDF.</p>
        <Link to="/tickets" className="button button-primary button-block">
          Go to My tickets
        </Link>
      </section>
    );
  }

  const signOut = () => {
    const toLogin = () => void navigate(authLink('/login', back, sent.email));
    logout.run(undefined, { onSuccess: toLogin, onError: toLogin });
  };
  const otherAccount = user !== null && !sameAddress(user.email, sent.email);
  const claimRefusal = reasonOf(claim.error);

  return (
    <section className="auth-card card claim-card">
      <h1>{sent.state === 'PENDING' ? 'A ticket for you' : 'This ticket can no longer be claimed'}</h1>
      <p>
        <strong>{sent.fromName}</strong> sent this ticket to <strong className="ticket-email">{sent.email}</strong>.
      </p>
      <TicketSummary preview={sent} />
      {sent.state === 'CLAIMED' ? (
        <div className="notice" role="status">
          <p>This ticket has already been claimed.</p>
          {user && !otherAccount ? (
            <p>
              If you claimed it, it is in <Link to="/tickets">My tickets</Link>.
            </p>
          ) : (
            <p>If it was sent to you, sign in with {sent.email} to find it in My tickets.</p>
          )}
        </div>
      ) : sent.state === 'CANCELLED' ? (
        <div className="notice" role="status">
          <p>{sent.fromName} took this ticket back, or sent it again with a newer link. Ask them to send it to you again if it should be yours.</p>
        </div>
      ) : sent.state === 'EXPIRED' ? (
        <div className="notice" role="status">
          <p>This link has expired: the event has started, and tickets can no longer change hands.</p>
        </div>
      ) : !user ? (
        <>
          <p>
            To claim it, sign in with <strong>{sent.email}</strong>, or create an account with that address if you have none yet. You come back here
            afterwards.
          </p>
          <div className="button-row">
            <Link to={authLink('/login', back, sent.email)} className="button button-primary">
              Sign in
            </Link>
            <Link to={authLink('/register', back, sent.email)} className="button button-secondary">
              Create an account
            </Link>
          </div>
        </>
      ) : otherAccount || claimRefusal === 'TRANSFER_OTHER_ADDRESS' ? (
        <>
          <div role="alert" className="form-error">
            <p>
              {claimRefusal === 'TRANSFER_OTHER_ADDRESS'
                ? claim.formError
                : `You are signed in as ${user.email}, but this ticket was sent to ${sent.email}: sign in with that address to claim it.`}
            </p>
          </div>
          <PendingButton type="button" variant="secondary" pending={logout.pending} pendingLabel="Signing out…" onClick={signOut}>
            Sign out and use {sent.email}
          </PendingButton>
        </>
      ) : (
        <>
          <p className="small muted">
            Claiming gives the ticket a new barcode that only you have; the copy {sent.fromName} had stops working. The link works until the event
            starts.
          </p>
          <FormError>{claim.formError}</FormError>
          <PendingButton
            type="button"
            pending={claim.pending}
            pendingLabel="Claiming…"
            className="button-block"
            onClick={() => claim.run({ token }, { onError: () => void preview.refetch() })}
            disabled={claimRefusal === 'TRANSFER_NOT_AVAILABLE'}
          >
            Claim ticket
          </PendingButton>
        </>
      )}
    </section>
  );
}
