import { useId, useMemo, useState, type FormEvent } from 'react';
import { FormError, SaveButton, SelectField, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { useSetGroupDiscounts, useSetTiers } from '../events/api';
import type { FieldErrors } from '../../lib/errors';
import { formatMoney, minorUnits } from '../../lib/format';
import { useBaseline } from '../../lib/useBaseline';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import type { RouterOutputs } from '../../trpc';
import { MAX_PRICE_CENTS } from '../../../../shared/pricing';

type EventWithTiers = RouterOutputs['events']['byId'];

interface TierDraft {
  id?: string;
  name: string;
  price: string;
  currency: string;
  /** Presale: its seats are held and bought only with a code that unlocks them. */
  hidden: boolean;
}

/** "1,250.50" -> 125050 in a 2-decimal currency; NaN for anything that is not a plain amount. */
function toCents(price: string, currency: string): number {
  const text = price.trim().replace(/,/g, '');
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * minorUnits(currency));
}

function decimals(currency: string): number {
  return Math.round(Math.log10(minorUnits(currency)));
}

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });

/** ISO 4217 codes the browser knows, common ones first (the current ones always included). */
function currencyOptions(current: readonly string[]): string[] {
  const common = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [];
  return [...new Set([...current.filter((c) => /^[A-Z]{3}$/.test(c)), ...common, ...all])];
}

function currencySymbol(currency: string): string {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })
        .formatToParts(0)
        .find((p) => p.type === 'currency')?.value ?? currency
    );
  } catch {
    return currency;
  }
}

/** The tier editor's own checks, with messages for people; null when the API may be asked. */
function checkTiers(tiers: TierDraft[]): FieldErrors | null {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  tiers.forEach((t, i) => {
    const name = t.name.trim().toLowerCase();
    if (!name) errors[`tiers.${i}.name`] = ['Name the tier, such as Stalls.'];
    else if (seen.has(name)) errors[`tiers.${i}.name`] = ['Another tier has this name.'];
    seen.add(name);
    const cents = toCents(t.price, t.currency);
    const places = decimals(t.currency);
    const typedPlaces = t.price.trim().split('.')[1]?.length ?? 0;
    if (!t.price.trim()) errors[`tiers.${i}.priceCents`] = [`Enter a price, such as ${(45).toFixed(places)}.`];
    else if (Number.isNaN(cents)) errors[`tiers.${i}.priceCents`] = [`Enter the price as a number, such as ${(45).toFixed(places)}.`];
    else if (typedPlaces > places)
      errors[`tiers.${i}.priceCents`] = [places === 0 ? `${t.currency} prices have no decimals.` : `At most ${places} decimals in ${t.currency}.`];
    else if (cents > MAX_PRICE_CENTS) errors[`tiers.${i}.priceCents`] = [`At most ${formatMoney(MAX_PRICE_CENTS, t.currency)}.`];
  });
  return Object.keys(errors).length ? errors : null;
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
          hidden: t.hidden,
        }))
      : [{ name: 'Standard', price: '', currency: defaultCurrency, hidden: false }],
  );

  const [local, setLocal] = useState<FieldErrors | null>(null);
  const baseline = useBaseline(tiers);
  const unsaved = useUnsavedChanges('Price tiers', baseline.dirty);
  const currencies = useMemo(() => currencyOptions(tiers.map((t) => t.currency)), [tiers]);
  const ids = useId();
  const change = (i: number, patch: Partial<TierDraft>) => setDrafts((all) => all.map((t, j) => (j === i ? { ...t, ...patch } : t)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = checkTiers(tiers);
    setLocal(problems);
    if (problems) return;
    const input = {
      eventId: event.id,
      tiers: tiers.map((t) => ({
        ...(t.id ? { id: t.id } : {}),
        name: t.name,
        priceCents: toCents(t.price, t.currency.toUpperCase()),
        currency: t.currency.trim().toUpperCase(),
        hidden: t.hidden,
      })),
    };
    form.run(input, {
      onSuccess: (saved) => {
        const drafts = saved.map((t) => ({
          id: t.id,
          name: t.name,
          price: (t.priceCents / minorUnits(t.currency)).toFixed(decimals(t.currency)),
          currency: t.currency,
          hidden: t.hidden,
        }));
        setDrafts(drafts);
        baseline.rebase(drafts);
        unsaved.saved();
        toast.success('Price tiers saved.');
      },
    });
  };

  const fields = local ?? form.fieldErrors;
  return (
    <form onSubmit={submit} noValidate aria-labelledby="tiers-title">
      <h3 id="tiers-title">Price tiers</h3>
      <p className="small muted">
        Each seat belongs to one tier. Removing a tier that seats still use is refused. A presale tier’s seats show on the map, but only a code that
        unlocks presale seats (on the Codes tab) lets anyone hold or buy them.
      </p>
      <FormError>{form.formError ?? fields.tiers?.join(' ')}</FormError>
      <div className="rows-editor">
        {tiers.map((tier, i) => (
          <fieldset key={tier.id ?? `new-${i}`} className="row-fields">
            <legend className="visually-hidden">Tier {i + 1}</legend>
            <TextField label="Tier name" value={tier.name} onChange={(e) => change(i, { name: e.target.value })} errors={fields[`tiers.${i}.name`]} />
            <TextField
              label={`Price (${currencySymbol(tier.currency)})`}
              inputMode="decimal"
              value={tier.price}
              onChange={(e) => change(i, { price: e.target.value })}
              errors={fields[`tiers.${i}.priceCents`]}
              placeholder={(0).toFixed(decimals(tier.currency))}
            />
            <SelectField
              label="Currency"
              value={tier.currency}
              onChange={(e) => change(i, { currency: e.target.value })}
              errors={fields[`tiers.${i}.currency`]}
            >
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code} · {currencyNames.of(code) ?? code}
                </option>
              ))}
            </SelectField>
            <button
              type="button"
              className="button button-ghost remove"
              aria-label={`Remove tier ${tier.name || i + 1}`}
              onClick={() => setDrafts((all) => all.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            <div className="checkbox-field presale-check">
              <input id={`${ids}-hidden-${i}`} type="checkbox" checked={tier.hidden} onChange={(e) => change(i, { hidden: e.target.checked })} />
              <label htmlFor={`${ids}-hidden-${i}`}>Presale only (needs a code)</label>
            </div>
          </fieldset>
        ))}
      </div>
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDrafts((all) => [...all, { name: '', price: '', currency: all[0]?.currency ?? defaultCurrency, hidden: false }])}
        >
          Add tier
        </button>
        <SaveButton pending={form.pending} dirty={baseline.dirty} saved={form.status === 'success'}>
          Save tiers
        </SaveButton>
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
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const baseline = useBaseline(rules);
  const unsaved = useUnsavedChanges('Group discounts', baseline.dirty);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems = checkRules(rules);
    setLocal(problems);
    if (problems) return;
    const input = { eventId: event.id, rules: rules.map((r) => ({ minQuantity: Number(r.minQuantity), percentOff: Number(r.percentOff) })) };
    form.run(input, {
      onSuccess: () => {
        baseline.rebase(rules);
        unsaved.saved();
        toast.success(input.rules.length ? 'Group discounts saved.' : 'Group discounts removed.');
      },
    });
  };

  const fields = local ?? form.fieldErrors;
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
        <SaveButton pending={form.pending} dirty={baseline.dirty} saved={form.status === 'success'}>
          Save discounts
        </SaveButton>
      </div>
    </form>
  );
}

function checkRules(rules: RuleDraft[]): FieldErrors | null {
  const errors: FieldErrors = {};
  const seen = new Set<number>();
  rules.forEach((r, i) => {
    const min = Number(r.minQuantity);
    const pct = Number(r.percentOff);
    if (!r.minQuantity.trim() || !Number.isInteger(min) || min < 2 || min > 10)
      errors[`rules.${i}.minQuantity`] = ['Enter a group size from 2 to 10 seats.'];
    else if (seen.has(min)) errors[`rules.${i}.minQuantity`] = ['Another discount starts at this size.'];
    seen.add(min);
    if (!r.percentOff.trim() || !Number.isInteger(pct) || pct < 1 || pct > 100)
      errors[`rules.${i}.percentOff`] = ['Enter a whole percentage from 1 to 100.'];
  });
  return Object.keys(errors).length ? errors : null;
}
