import { formatMoney } from '../../lib/format';
import { seatKey, seatLabel } from '../../../../shared/seats';
import type { RouterOutputs } from '../../trpc';

/** The price of the seats in the basket, line by line, with the group discount. */
export function QuoteSummary({ quote }: { quote: RouterOutputs['pricing']['quote'] }) {
  return (
    <dl className="quote" aria-label="Price">
      {quote.lines.map((line) => (
        <div key={seatKey(line)} className="quote-line">
          <dt>
            {seatLabel(line)} · {line.tierName}
          </dt>
          <dd>{formatMoney(line.priceCents, quote.currency)}</dd>
        </div>
      ))}
      {quote.discountCents > 0 && (
        <div className="quote-line quote-discount">
          <dt>Group discount{quote.percentOff ? ` (${quote.percentOff}% off)` : ''}</dt>
          <dd>−{formatMoney(quote.discountCents, quote.currency)}</dd>
        </div>
      )}
      <div className="quote-total">
        <dt>Total</dt>
        <dd>{formatMoney(quote.totalCents, quote.currency)}</dd>
      </div>
    </dl>
  );
}
