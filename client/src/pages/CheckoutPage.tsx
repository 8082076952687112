import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { FormError, PendingButton, TextField } from '../components/Form';
import { LoadError, Loading } from '../components/QueryStatus';
import { useToast } from '../components/Toasts';
import { usePurchaseSeats } from '../features/booking/api';
import { formatClock } from '../features/queue/format';
import { saveQueuePass, useQueuePass } from '../features/queue/pass';
import { errorCode, errorMessage, reasonOf } from '../lib/errors';
import { formatDateTime, formatMoney } from '../lib/format';
import { loadCheckout, loadHolds, loadPresale, saveCheckout, saveHolds, type PendingCheckout } from '../lib/holds';
import { seatKey } from '../../../shared/seats';
import { useSession } from '../lib/session';
import { useNow } from '../lib/useNow';
import { HoldCountdown } from '../features/booking/HoldCountdown';
import { trpc } from '../trpc';
import type { PaymentMethod } from '../../../shared/orders';

/** Pay-later methods close this long before the event starts (the server refuses them then, too). */
const PAY_LATER_CLOSES_MS = 60 * 60_000;

const METHODS: Record<PaymentMethod, { label: string; hint: (due: string) => string }> = {
  instant: { label: 'Pay now', hint: () => 'Confirmed at once: your tickets are ready straight away.' },
  box_office: {
    label: 'Pay at the box office',
    hint: (due) => `Your seats are held for you until ${due}; pay at the box office by then and your tickets are mailed to you.`,
  },
  bank_transfer: {
    label: 'Pay by bank transfer',
    hint: (due) =>
      `Your seats are held for you until ${due}. We mail you the account details; your order number is the reference, and your tickets follow once the money arrives.`,
  },
};

/** When a pay-later order placed now would have to be paid: the event's days to pay, but never after it starts. */
function payLaterDeadline(now: number, event: { startsAt: string; payLaterDays: number }): number {
  return Math.min(now + event.payLaterDays * 86_400_000, Date.parse(event.startsAt));
}

export function CheckoutPage() {
  // Read once: the key must stay the same for every retry of this attempt.
  const [checkout] = useState(loadCheckout);
  if (!checkout || checkout.seats.length === 0) {
    return (
      <section className="card narrow">
        <h1>Nothing to check out</h1>
        <p className="muted">Hold some seats on an event’s seat map first.</p>
        <Link to="/" className="button button-primary">
          Browse events
        </Link>
      </section>
    );
  }
  return <Checkout {...checkout} />;
}

function Checkout({ eventId, seats, idempotencyKey, code: presaleCode }: PendingCheckout) {
  const navigate = useNavigate();
  const toast = useToast();
  const event = trpc.events.byId.useQuery({ id: eventId });
  // A code is applied once the server priced the seats with it (its discount replaces the group discount).
  // Presale seats come with the code that opened them: applied from the start, and kept.
  const [code, setCode] = useState<string | null>(presaleCode ?? null);
  const quote = trpc.pricing.quote.useQuery({ eventId, seats, ...(code ? { code } : {}) });
  const purchase = usePurchaseSeats();
  // Behind a waiting room the purchase carries the admission pass the event page was let in with.
  const pass = useQueuePass(eventId);
  const holds = loadHolds(eventId);
  const expiresAt = holds.length ? Math.min(...holds.map((h) => Date.parse(h.expiresAt))) : null;
  const now = useNow(1000, expiresAt !== null);
  const { user } = useSession();
  const [confirmed, setConfirmed] = useState(false);
  const [chosen, setChosen] = useState<PaymentMethod | null>(null);
  const offered = event.data?.paymentMethods ?? ['instant'];
  // The deadline and whether paying later has closed follow the clock, re-read each minute.
  const minute = useNow(60_000);
  const laterClosed = event.data ? Date.parse(event.data.startsAt) - minute < PAY_LATER_CLOSES_MS : false;
  const available = offered.filter((m) => m === 'instant' || !laterClosed);
  // An event taking payment only in advance, starting within the hour, can no longer be ordered.
  const closed = Boolean(event.data) && available.length === 0;
  const method: PaymentMethod = chosen && available.includes(chosen) ? chosen : (available[0] ?? 'instant');
  const due = event.data ? formatDateTime(new Date(payLaterDeadline(minute, event.data)).toISOString(), event.data.timeZone) : '';

  // A failure shows below; a retry sends the same key again, so nothing is bought twice.
  const pay = () =>
    purchase.run(
      // Paying now is the default the server assumes; another way to pay is named.
      {
        eventId,
        seats,
        idempotencyKey,
        ...(method === 'instant' ? {} : { paymentMethod: method }),
        ...(code ? { code } : {}),
        ...(pass ? { pass: pass.token } : {}),
      },
      {
        onSuccess: (order) => {
          saveCheckout(null);
          saveHolds(eventId, []);
          // The order spent the pass: buying more means queueing again.
          saveQueuePass(eventId, null);
          toast.success(
            order.status === 'PENDING' && order.paymentDueAt
              ? `Order placed. Please pay by ${formatDateTime(order.paymentDueAt)}; your tickets come once it is paid.`
              : 'Order confirmed. Your tickets are ready.',
          );
          void navigate(`/tickets?order=${encodeURIComponent(order.id)}`, { replace: true });
        },
        // The failure shows below (purchase.error); a pass the server no longer takes is forgotten.
        onError: (error) => {
          if (reasonOf(error) === 'QUEUE_PASS_REQUIRED') saveQueuePass(eventId, null);
        },
      },
    );

  const currency = quote.data?.currency ?? 'USD';
  const conflict = errorCode(purchase.error) === 'CONFLICT';
  // No retry helps without a pass: the way on is the queue, on the event's page.
  const passRefused = reasonOf(purchase.error) === 'QUEUE_PASS_REQUIRED';
  return (
    <div className="checkout">
      <h1>Checkout</h1>
      <section className="card" aria-labelledby="order-summary">
        <h2 id="order-summary">Order summary</h2>
        {event.data && (
          <p className="checkout-event">
            <strong>{event.data.name}</strong>
            <span className="muted">
              {formatDateTime(event.data.startsAt, event.data.timeZone)} · {event.data.venue}
            </span>
          </p>
        )}
        {quote.isPending ? (
          <Loading>Pricing your seats…</Loading>
        ) : quote.isError ? (
          <LoadError error={quote.error} />
        ) : (
          <dl className="quote">
            {quote.data.lines.map((line) => (
              <div key={seatKey(line)} className="quote-line">
                <dt>
                  Row {line.row} · Seat {line.number} <span className="muted">({line.tierName})</span>
                </dt>
                <dd>{formatMoney(line.priceCents, currency)}</dd>
              </div>
            ))}
            <div className="quote-line">
              <dt>Subtotal</dt>
              <dd>{formatMoney(quote.data.subtotalCents, currency)}</dd>
            </div>
            {quote.data.discountCents > 0 && (
              <div className="quote-line quote-discount">
                <dt>{quote.data.voucher ? `Code ${quote.data.voucher.code}` : 'Group discount'}</dt>
                <dd>−{formatMoney(quote.data.discountCents, currency)}</dd>
              </div>
            )}
            <div className="quote-total">
              <dt>Total to pay</dt>
              <dd>{formatMoney(quote.data.totalCents, currency)}</dd>
            </div>
          </dl>
        )}
        <CodeForm
          eventId={eventId}
          seats={seats}
          applied={code}
          onApply={setCode}
          locked={purchase.pending || Boolean(purchase.error)}
          required={Boolean(presaleCode) && code === presaleCode}
        />
        {expiresAt !== null &&
          (expiresAt > now ? (
            <p className="checkout-hold">
              Your seats are held for you for <HoldCountdown remaining={expiresAt - now} />
            </p>
          ) : (
            <p className="checkout-hold">Your hold ran out. You can still place the order if the seats are free.</p>
          ))}
        {pass && <p className="small checkout-pass">Your waiting-room pass lets you buy until {formatClock(pass.expiresAt)}.</p>}
      </section>

      <section className="card" aria-labelledby="buyer-title">
        <h2 id="buyer-title">Your details</h2>
        {user && (
          <dl className="buyer">
            <div>
              <dt>Name on the tickets</dt>
              <dd>{user.name}</dd>
            </div>
            <div>
              <dt>Tickets and receipt go to</dt>
              <dd>{user.email}</dd>
            </div>
          </dl>
        )}
        <p className="small">
          Wrong? <Link to="/profile">Change them in your profile</Link> first.
        </p>
        <div className="checkbox-field">
          <input id="buyer-confirmed" type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          <label htmlFor="buyer-confirmed">These details are right</label>
        </div>
        {event.data && offered.length > 1 ? (
          <fieldset className="payment-methods">
            <legend>How would you like to pay?</legend>
            {offered.map((m) => {
              const closed = !available.includes(m);
              return (
                <div key={m} className="radio-field">
                  <input
                    id={`pay-${m}`}
                    type="radio"
                    name="payment-method"
                    value={m}
                    checked={method === m}
                    // A retry must send what the first attempt sent (the same idempotency key).
                    disabled={closed || purchase.pending || Boolean(purchase.error)}
                    onChange={() => setChosen(m)}
                    aria-describedby={`pay-${m}-hint`}
                  />
                  <label htmlFor={`pay-${m}`}>{METHODS[m].label}</label>
                  <p id={`pay-${m}-hint`} className="small muted">
                    {closed ? 'No longer offered: the event starts within the hour.' : METHODS[m].hint(due)}
                  </p>
                </div>
              );
            })}
          </fieldset>
        ) : (
          method !== 'instant' && <p className="small">{METHODS[method].hint(due)}</p>
        )}
        <p className="small">
          {method === 'instant'
            ? 'No card is taken online yet: placing the order confirms it at once, and the total is settled with the organiser.'
            : 'Nothing is charged now.'}{' '}
          You can cancel it from My tickets until the event starts{method === 'instant' ? ', and the amount is refunded.' : '.'}
        </p>
        {closed && <p className="field-error">Ordering has closed: this event took payment in advance only, and it starts within the hour.</p>}
        <FormError>
          {!purchase.error ? null : passRefused ? (
            <>
              {errorMessage(purchase.error)} <Link to={`/events/${eventId}`}>Back to the queue</Link>
            </>
          ) : conflict ? (
            <>
              {errorMessage(purchase.error)} <Link to={`/events/${eventId}`}>Choose seats again</Link>
            </>
          ) : (
            `${errorMessage(purchase.error)} You can safely try again: you will not be charged twice.`
          )}
        </FormError>
        <div className="button-row">
          <PendingButton
            type="button"
            pending={purchase.pending}
            pendingLabel="Placing your order…"
            onClick={pay}
            disabled={!quote.data || conflict || passRefused || !confirmed || closed}
          >
            {quote.data ? `Place order · ${formatMoney(quote.data.totalCents, currency)}` : 'Place order'}
          </PendingButton>
          <Link to={`/events/${eventId}`} className="button button-ghost">
            Back to seats
          </Link>
        </div>
      </section>
    </div>
  );
}

/**
 * A voucher or promo code: checked by pricing the seats with it (the server's answer, its words
 * when it cannot be used), then applied to the summary and the order. Removable until the order
 * is placed, except a presale code the seats need (`required`); a retry keeps what the first
 * attempt sent. A presale code unlocked on the event's page fills the field in.
 */
function CodeForm({
  eventId,
  seats,
  applied,
  onApply,
  locked,
  required,
}: {
  eventId: string;
  seats: PendingCheckout['seats'];
  applied: string | null;
  onApply: (code: string | null) => void;
  locked: boolean;
  required: boolean;
}) {
  const utils = trpc.useUtils();
  const [typed, setTyped] = useState(() => loadPresale(eventId)?.code ?? '');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!typed.trim() || checking) return;
    setChecking(true);
    setError(null);
    utils.pricing.quote
      .fetch({ eventId, seats, code: typed.trim() })
      .then((q) => {
        onApply(q.voucher?.code ?? null);
        setTyped('');
      })
      .catch((err: unknown) => setError(errorMessage(err)))
      .finally(() => setChecking(false));
  };
  if (applied) {
    return (
      <p className="code-applied">
        Code <strong>{applied}</strong> applied.{' '}
        {required ? (
          <span className="muted">Your presale seats need it.</span>
        ) : (
          !locked && (
            <button type="button" className="link-button" onClick={() => onApply(null)}>
              Remove code
            </button>
          )
        )}
      </p>
    );
  }
  return (
    <form className="inline-form code-form" onSubmit={apply} noValidate aria-label="Voucher or promo code">
      <TextField
        label="Voucher or promo code"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        disabled={locked}
        errors={error ? [error] : undefined}
        hint="A code replaces the group discount."
      />
      <PendingButton type="submit" variant="secondary" pending={checking} pendingLabel="Checking…" disabled={locked || !typed.trim()}>
        Apply
      </PendingButton>
    </form>
  );
}
