import { useId, useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { LoadError, Loading } from '../../components/QueryStatus';
import { useToast } from '../../components/Toasts';
import { downloadFile } from '../../lib/download';
import type { FieldErrors } from '../../lib/errors';
import { formatDateTime, formatMoney } from '../../lib/format';
import { fromLocalInput } from '../../lib/datetime';
import { trpc, type RouterOutputs } from '../../trpc';
import { useCreateVoucher, useGenerateVouchers, useSetVoucherActive } from '../orders/api';
import type { VoucherKind } from '../../../../shared/vouchers';

type Event = RouterOutputs['events']['byId'];
type Voucher = RouterOutputs['vouchers']['list'][number];

const KIND_LABELS: Record<VoucherKind, string> = { percent: 'Percent off', amount: 'Amount off the order', price: 'Fixed price per ticket' };

/** Cents from what staff type in currency units ("12.50"); NaN when it is not an amount. */
const toCents = (typed: string) => (/^\d+(\.\d{1,2})?$/.test(typed.trim()) ? Math.round(Number(typed) * 100) : Number.NaN);
/** A whole percentage as typed ("20"); NaN when it is not one. */
const toPercent = (typed: string) => (/^\d+$/.test(typed.trim()) ? Number(typed) : Number.NaN);

/** What a code takes off, typed as staff typed it: the message when it is not a number at all (the API's rules check the rest). */
function notANumber(kind: VoucherKind, value: number): FieldErrors | null {
  if (!Number.isNaN(value)) return null;
  return { value: [kind === 'percent' ? 'Enter a whole percentage, such as 20.' : 'Enter an amount, such as 12.50.'] };
}

function describe(v: Pick<Voucher, 'kind' | 'value'>, currency: string): string {
  if (v.kind === 'percent') return v.value === 0 ? 'No discount' : `${v.value}% off`;
  if (v.kind === 'amount') return `${formatMoney(v.value, currency)} off`;
  return `${formatMoney(v.value, currency)} a ticket`;
}

/** The event's vouchers and promo codes: make one, make single-use ones in bulk, switch them off, export them. */
export function VouchersPanel({ event }: { event: Event }) {
  const list = trpc.vouchers.list.useQuery({ eventId: event.id });
  const toast = useToast();
  const currency = event.tiers[0]?.currency ?? 'USD';
  const [exporting, setExporting] = useState(false);
  const exportCsv = () => {
    setExporting(true);
    void downloadFile(`/api/staff/vouchers.csv?eventId=${event.id}`)
      .catch((error: unknown) => toast.error(error instanceof Error ? error.message : 'The download failed. Please try again.'))
      .finally(() => setExporting(false));
  };
  return (
    <div className="vouchers-panel">
      <p className="small muted">
        A code replaces the group discount; each order using it is one use, and a cancelled or lapsed order gives its use back. A code that unlocks
        presale seats lets its holder choose seats of presale tiers (marked on the Prices tab); it may take nothing off (0%).
      </p>
      <CreateVoucher event={event} currency={currency} />
      <GenerateVouchers event={event} />
      <h3>Codes</h3>
      {list.isPending ? (
        <Loading>Loading codes…</Loading>
      ) : list.isError ? (
        <LoadError error={list.error} />
      ) : list.data.length === 0 ? (
        <p className="muted">No codes yet.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Codes of {event.name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Discount</th>
                  <th scope="col">For</th>
                  <th scope="col" className="num">
                    Uses
                  </th>
                  <th scope="col">Valid</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.slice(0, 100).map((v) => (
                  <VoucherRow key={v.id} voucher={v} event={event} currency={currency} />
                ))}
              </tbody>
            </table>
          </div>
          {list.data.length > 100 && (
            <p className="small muted">The newest 100 of {list.data.length.toLocaleString('en-US')} codes; the CSV has them all.</p>
          )}
        </>
      )}
      <button type="button" className="button button-secondary" onClick={exportCsv} disabled={exporting}>
        Download codes (CSV)
      </button>
    </div>
  );
}

function VoucherRow({ voucher: v, event, currency }: { voucher: Voucher; event: Event; currency: string }) {
  const setActive = useSetVoucherActive();
  const tiers =
    v.tierIds.length === 0
      ? 'All seats'
      : event.tiers
          .filter((t) => v.tierIds.includes(t.id))
          .map((t) => t.name)
          .join(', ');
  const valid = [v.validFrom && `from ${formatDateTime(v.validFrom)}`, v.validUntil && `until ${formatDateTime(v.validUntil)}`]
    .filter(Boolean)
    .join(' ');
  return (
    <tr>
      <td>
        <code>{v.code}</code>
        {v.unlocksHidden && <span className="badge badge-info">Presale</span>}
        {!v.active && <span className="badge badge-neutral">Off</span>}
      </td>
      <td>{describe(v, currency)}</td>
      <td>{tiers}</td>
      <td className="num">
        {v.uses}
        {v.maxUses !== null && ` / ${v.maxUses}`}
        {v.maxUsesPerUser !== null && <span className="small muted block">{v.maxUsesPerUser} per customer</span>}
      </td>
      <td>{valid || 'Always'}</td>
      <td className="actions">
        <PendingButton
          type="button"
          variant="ghost"
          className="button-small"
          pending={setActive.pending}
          pendingLabel="Saving…"
          onClick={() => setActive.run({ id: v.id, active: !v.active })}
        >
          {v.active ? 'Switch off' : 'Switch on'}
          <span className="visually-hidden"> {v.code}</span>
        </PendingButton>
      </td>
    </tr>
  );
}

function CreateVoucher({ event, currency }: { event: Event; currency: string }) {
  const toast = useToast();
  const create = useCreateVoucher();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<VoucherKind>('percent');
  const [value, setValue] = useState('');
  const [tierId, setTierId] = useState('');
  const [maxUses, setMaxUses] = useState('');
  const [perCustomer, setPerCustomer] = useState('');
  const [until, setUntil] = useState('');
  const [unlocksHidden, setUnlocksHidden] = useState(false);
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const presaleId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = kind === 'percent' ? toPercent(value) : toCents(value);
    const problems = notANumber(kind, amount);
    setLocal(problems);
    if (problems) return;
    // Checked with the API's rules before it is sent: a percentage from 1 to 100, or from 0 for a presale code.
    create.run(
      {
        eventId: event.id,
        code,
        kind,
        value: amount,
        tierIds: tierId ? [tierId] : [],
        maxUses: maxUses ? Number(maxUses) : null,
        maxUsesPerUser: perCustomer ? Number(perCustomer) : null,
        validUntil: until ? (fromLocalInput(until, event.timeZone) ?? null) : null,
        unlocksHidden,
      },
      {
        onSuccess: (made) => {
          toast.success(made.unlocksHidden ? `Code ${made.code} is ready: it unlocks presale seats.` : `Code ${made.code} is ready.`);
          setCode('');
          setValue('');
          setMaxUses('');
          setPerCustomer('');
          setUntil('');
        },
      },
    );
  };
  const fields = local ?? create.fieldErrors;
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-label="New code">
      <h3 className="span-2">New code</h3>
      <FormError>{create.formError}</FormError>
      <TextField
        label="Code"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        errors={fields.code}
        autoComplete="off"
        hint="3 to 40 letters, digits, - or _; any case."
      />
      <SelectField label="Discount" value={kind} onChange={(e) => setKind(e.target.value as VoucherKind)} errors={fields.kind}>
        {(Object.keys(KIND_LABELS) as VoucherKind[]).map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </SelectField>
      <TextField
        label={kind === 'percent' ? 'Percent' : `Amount (${currency})`}
        inputMode="decimal"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        errors={fields.value}
        hint={kind === 'percent' && unlocksHidden ? '0 for a code that only unlocks presale seats.' : undefined}
      />
      <SelectField label="Seats" value={tierId} onChange={(e) => setTierId(e.target.value)} errors={fields.tierIds}>
        <option value="">All tiers</option>
        {event.tiers.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} only{t.hidden ? ' (presale)' : ''}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Uses in all (optional)"
        inputMode="numeric"
        value={maxUses}
        onChange={(e) => setMaxUses(e.target.value)}
        errors={fields.maxUses}
      />
      <TextField
        label="Uses per customer (optional)"
        inputMode="numeric"
        value={perCustomer}
        onChange={(e) => setPerCustomer(e.target.value)}
        errors={fields.maxUsesPerUser}
      />
      <TextField
        label="Valid until (optional)"
        type="datetime-local"
        value={until}
        onChange={(e) => setUntil(e.target.value)}
        errors={fields.validUntil}
      />
      <PresaleCheckbox
        id={presaleId}
        checked={unlocksHidden}
        onChange={setUnlocksHidden}
        hint="Its holder can hold and buy seats of presale tiers (of the chosen tier only, or of every one), and it may take nothing off: 0%."
      />
      <div className="span-2">
        <PendingButton type="submit" pending={create.pending} pendingLabel="Creating…" disabled={!code.trim() || !value.trim()}>
          Create code
        </PendingButton>
      </div>
    </form>
  );
}

function GenerateVouchers({ event }: { event: Event }) {
  const toast = useToast();
  const generate = useGenerateVouchers();
  const [count, setCount] = useState('100');
  const [prefix, setPrefix] = useState('');
  const [percent, setPercent] = useState('');
  const [unlocksHidden, setUnlocksHidden] = useState(false);
  const [local, setLocal] = useState<FieldErrors | null>(null);
  const presaleId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const value = toPercent(percent);
    const problems = notANumber('percent', value);
    setLocal(problems);
    if (problems) return;
    generate.run(
      { eventId: event.id, count: Number(count), prefix, kind: 'percent', value, unlocksHidden },
      { onSuccess: (made) => toast.success(`${made.created.toLocaleString('en-US')} single-use codes made. Download them as CSV below.`) },
    );
  };
  const fields = local ?? generate.fieldErrors;
  return (
    <form onSubmit={submit} noValidate className="form-grid" aria-label="Single-use codes">
      <h3 className="span-2">Single-use codes in bulk</h3>
      <FormError>{generate.formError}</FormError>
      <TextField
        label="How many"
        inputMode="numeric"
        value={count}
        onChange={(e) => setCount(e.target.value)}
        errors={fields.count}
        hint="Up to 1,000 at once."
      />
      <TextField label="Prefix (optional)" value={prefix} onChange={(e) => setPrefix(e.target.value)} errors={fields.prefix} autoComplete="off" />
      <TextField
        label="Percent off"
        inputMode="numeric"
        value={percent}
        onChange={(e) => setPercent(e.target.value)}
        errors={fields.value}
        hint={unlocksHidden ? '0 for codes that only unlock presale seats.' : undefined}
      />
      <PresaleCheckbox
        id={presaleId}
        checked={unlocksHidden}
        onChange={setUnlocksHidden}
        hint="Their holders can hold and buy seats of every presale tier, one order each, and they may take nothing off: 0%."
      />
      <div className="span-2">
        <PendingButton type="submit" variant="secondary" pending={generate.pending} pendingLabel="Making codes…" disabled={!percent.trim()}>
          Make codes
        </PendingButton>
      </div>
    </form>
  );
}

/** Whether a code lets its holder choose presale seats (of its tier, or of every presale tier). */
function PresaleCheckbox({ id, checked, onChange, hint }: { id: string; checked: boolean; onChange: (checked: boolean) => void; hint: string }) {
  return (
    <div className="checkbox-field span-2">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>
        Unlocks presale seats
        <span className="muted small block">{hint}</span>
      </label>
    </div>
  );
}
