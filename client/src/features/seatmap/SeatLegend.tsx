import { formatMoney } from '../../lib/format';
import { STATUS_COLOURS } from './colours';
import type { Tier } from './layout';
import { FEATURE_NAMES, type SeatFeature } from '../../../../shared/layout';

/** What the colours and marks on the map mean; a staff preview shows only the tiers. */
export function SeatLegend({
  tiers,
  colours,
  tiersOnly = false,
  features = [],
  locked = false,
}: {
  tiers: readonly Tier[];
  colours: ReadonlyMap<string, string>;
  tiersOnly?: boolean;
  features?: readonly SeatFeature[];
  /** Some free seats are locked for the shopper (a presale they have no code for). */
  locked?: boolean;
}) {
  return (
    <ul className="legend" aria-label="Legend">
      {tiers.map((tier) => (
        <li key={tier.id}>
          <span className="swatch" style={{ background: colours.get(tier.id) }} aria-hidden="true" />
          {tier.name} · {formatMoney(tier.priceCents, tier.currency)}
          {tier.hidden && ' · presale'}
        </li>
      ))}
      {features.map((feature) => (
        <li key={feature}>
          <span className={`swatch swatch-${feature}`} aria-hidden="true" />
          {FEATURE_NAMES[feature]}
        </li>
      ))}
      {!tiersOnly && locked && (
        <li>
          <span
            className="swatch"
            style={{ background: STATUS_COLOURS.locked, boxShadow: `inset 0 0 0 2px ${STATUS_COLOURS.lockedEdge}` }}
            aria-hidden="true"
          />
          Presale (code needed)
        </li>
      )}
      {!tiersOnly && <ShopperMarks />}
    </ul>
  );
}

function ShopperMarks() {
  return (
    <>
      <li>
        <span className="swatch swatch-selected" aria-hidden="true" />
        Your selection
      </li>
      <li>
        <span className="swatch swatch-mine" aria-hidden="true" />
        Held by you
      </li>
      <li>
        <span className="swatch swatch-yours" aria-hidden="true" />
        Your tickets
      </li>
      <li>
        <span className="swatch" style={{ background: STATUS_COLOURS.reserved }} aria-hidden="true" />
        Reserved
      </li>
      <li>
        <span className="swatch swatch-sold" style={{ background: STATUS_COLOURS.sold }} aria-hidden="true" />
        Sold
      </li>
    </>
  );
}
