import { useState, type FormEvent } from 'react';
import { FormError, PendingButton, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useSetGroupDiscounts, useSetTiers } from '../events/api';
import { formatMoney, minorUnits } from '../../lib/format';
import type { RouterOutputs } from '../../trpc';

type EventWithTiers = RouterOutputs['events']['byId'];

interface TierDraft {
  id?: string;
  name: string;
  price: string;
  currency: string;
}

function toCents(price: string, currency: string): number {
  const value = Number(price.replace(/[^0-9.]/g, ''));
  return price.trim() === '' || Number.isNaN(value) ? Number.NaN : Math.round(value * minorUnits(currency));
}

export function PricingForms({ event }: { event: EventWithTiers }) {
  return (
    <div className="stack">
      <TiersForm event={event} />
      <DiscountsForm event={event} />
    </div>
  );
}

function TiersForm({ event }: { event: EventWithTiers }) {
  const toast = useToast();
  const form = useSetTiers();
  const defaultCurrency = event.tiers[0]?.currency ?? event.currency ?? 'USD';
  const [tiers, setDrafts] = useState<TierDraft[]>(() =>
    event.tiers.length
      ? event.tiers.map((t) => ({
          id: t.id,
          name: t.name,
          price: (t.priceCents / minorUnits(t.currency)).toFixed(Math.log10(minorUnits(t.currency))),
          currency: t.currency,
        }))
      : [{ name: 'Standard', price: '', currency: defaultCurrency }],
  );

  const change = (i: number, patch: Partial<TierDraft>) => setDrafts((all) => all.map((t, j) => (j === i ? { ...t, ...patch } : t)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = {
      eventId: event.id,
      tiers: tiers.map((t) => ({
        ...(t.id ? { id: t.id } : {}),
        name: t.name,
        priceCents: toCents(t.price, t.currency.toUpperCase()),
        currency: t.currency.trim().toUpperCase(),
      })),
    };
    form.run(input, {
      onSuccess: (saved) => {
        setDrafts(
          saved.map((t) => ({
            id: t.id,
            name: t.name,
            price: (t.priceCents / minorUnits(t.currency)).toFixed(Math.log10(minorUnits(t.currency))),
            currency: t.currency,
          })),
        );
        toast.success('Price tiers saved.');
      },
    });
  };

  const fields = form.fieldErrors;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="tiers-title">
      <h3 id="tiers-title">Price tiers</h3>
      <p className="small muted">Each seat belongs to one tier. Removing a tier that seats still use is refused.</p>
      <FormError>{form.formError ?? fields.tiers?.join(' ')}</FormError>
      <div className="rows-editor">
        {tiers.map((tier, i) => (
          <fieldset key={tier.id ?? `new-${i}`} className="row-fields">
            <legend className="visually-hidden">Tier {i + 1}</legend>
            <TextField label="Tier name" value={tier.name} onChange={(e) => change(i, { name: e.target.value })} errors={fields[`tiers.${i}.name`]} />
            <TextField
              label="Price"
              inputMode="decimal"
              value={tier.price}
              onChange={(e) => change(i, { price: e.target.value })}
              errors={fields[`tiers.${i}.priceCents`]}
              placeholder="0.00"
            />
            <TextField
              label="Currency"
              value={tier.currency}
              maxLength={3}
              onChange={(e) => change(i, { currency: e.target.value.toUpperCase() })}
              errors={fields[`tiers.${i}.currency`]}
              className="narrow-field"
            />
            <button
              type="button"
              className="button button-ghost remove"
              aria-label={`Remove tier ${tier.name || i + 1}`}
              onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </fieldset>
        ))}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDrafts((all) => [...all, { name: '', price: '', currency: all[0]?.currency ?? defaultCurrency }])}
        >
          Add tier
        </button>
        <PendingButton pending={form.pending} pendingLabel="Saving…">
          Save tiers
        </PendingButton>
      </div>
    </form>
  );
}

interface RuleDraft {
  minQuantity: string;
  percentOff: string;
}

function DiscountsForm({ event }: { event: EventWithTiers }) {
  const toast = useToast();
  const form = useSetGroupDiscounts();
  // The editor starts from the event's current rules; saving replaces them all.
  const existing = event.groupDiscounts;
  const [rules, setDrafts] = useState<RuleDraft[]>(() =>
    existing.map((r) => ({ minQuantity: String(r.minQuantity), percentOff: String(r.percentOff) })),
  );
  const change = (i: number, patch: Partial<RuleDraft>) => setDrafts((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const sample = event.tiers[0];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = { eventId: event.id, rules: rules.map((r) => ({ minQuantity: Number(r.minQuantity), percentOff: Number(r.percentOff) })) };
    form.run(input, { onSuccess: () => toast.success(input.rules.length ? 'Group discounts saved.' : 'Group discounts removed.') });
  };

  const fields = form.fieldErrors;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="discounts-title">
      <h3 id="discounts-title">Group discounts</h3>
      <p className="small muted">
        Buyers get the best discount whose minimum their order reaches.
        {sample &&
          ` Example: 4 × ${sample.name} at ${formatMoney(sample.priceCents, sample.currency)} with 10% off costs ${formatMoney(Math.round(sample.priceCents * 4 * 0.9), sample.currency)}.`}
      </p>
      <FormError>{form.formError ?? fields.rules?.join(' ')}</FormError>
      <div className="rows-editor">
        {rules.length === 0 && <p className="muted small">No group discounts.</p>}
        {rules.map((rule, i) => (
          <fieldset key={i} className="row-fields">
            <legend className="visually-hidden">Discount {i + 1}</legend>
            <TextField
              label="From seats"
              type="number"
              min={2}
              max={10}
              value={rule.minQuantity}
              onChange={(e) => change(i, { minQuantity: e.target.value })}
              errors={fields[`rules.${i}.minQuantity`]}
            />
            <TextField
              label="Percent off"
              type="number"
              min={1}
              max={100}
              value={rule.percentOff}
              onChange={(e) => change(i, { percentOff: e.target.value })}
              errors={fields[`rules.${i}.percentOff`]}
            />
            <button
              type="button"
              className="button button-ghost remove"
              aria-label={`Remove discount ${i + 1}`}
              onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}
            >
              Remove
            </button>
          </fieldset>
        ))}
      </div>
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={() => setDrafts((all) => [...all, { minQuantity: '', percentOff: '' }])}>
          Add discount
        </button>
        <PendingButton pending={form.pending} pendingLabel="Saving…">
          Save discounts
        </PendingButton>
      </div>
    </form>
  );
}
