import { useMemo, useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { SeatMap, type SeatMapData } from '../seatmap/SeatMap';
import { useToast } from '../../components/Toasts';
import { useGenerateSeats } from '../events/api';
import { rowIndex as rowIndexOf, rowName } from '../../../../shared/seats';
import { planRows, type TierBand } from '../../lib/rows';
import type { RouterOutputs } from '../../trpc';

type EventWithTiers = RouterOutputs['events']['byId'];

const NO_SELECTION = new Set<string>();

export function SeatGenerator({ event, onGoToPrices }: { event: EventWithTiers; onGoToPrices: () => void }) {
  const toast = useToast();
  const generate = useGenerateSeats();
  const tiers = event.tiers;
  const [firstRow, setFirstRow] = useState('A');
  const [rows, setRows] = useState('10');
  const [seatsPerRow, setSeatsPerRow] = useState('20');
  const [bands, setBands] = useState<TierBand[]>(() => (tiers[0] ? [{ fromRow: 1, toRow: 10, tierId: tiers[0].id }] : []));

  const rowCount = Math.max(0, Math.min(2000, Math.floor(Number(rows)) || 0));
  const perRow = Math.max(0, Math.min(1000, Math.floor(Number(seatsPerRow)) || 0));
  const validFirst = /^[A-Z]{1,3}$/.test(firstRow);
  const plan = useMemo(
    () => (validFirst && rowCount > 0 && perRow > 0 && bands.length ? planRows({ firstRow, rows: rowCount, seatsPerRow: perRow, bands }) : []),
    [validFirst, firstRow, rowCount, perRow, bands],
  );
  const preview = useMemo<SeatMapData>(
    () => ({
      eventId: event.id,
      holdMinutes: 0,
      tiers,
      rows: plan.map((r) => ({
        name: r.name,
        seats: Array.from({ length: r.seats }, (_, i) => ({ number: i + 1, status: 'AVAILABLE' as const, tierId: r.tierId, mine: false })),
      })),
    }),
    [event.id, tiers, plan],
  );

  // What was just created: the button says so and stays off until the plan changes (the same
  // rows again would only clash with the seats now there).
  const [createdPlan, setCreatedPlan] = useState<{ key: string; created: number } | null>(null);

  if (tiers.length === 0) {
    return (
      <div className="notice">
        <p>Seats need a price tier. Add at least one tier first.</p>
        <button type="button" className="button button-primary" onClick={onGoToPrices}>
          Set prices
        </button>
      </div>
    );
  }

  const changeBand = (i: number, patch: Partial<TierBand>) => setBands((all) => all.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const lastRowName = validFirst && rowCount > 0 ? plan[plan.length - 1]?.name : null;

  const planKey = JSON.stringify(plan);
  const justCreated = createdPlan?.key === planKey ? createdPlan : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // An empty plan is refused by the schema itself ("Give at least one row.").
    generate.run(
      { eventId: event.id, rows: plan },
      {
        onSuccess: ({ created }) => {
          setCreatedPlan({ key: planKey, created });
          toast.success(`${created.toLocaleString('en-US')} seats created.`);
        },
      },
    );
  };

  // The rows are not fields of their own here: their messages show above the button.
  const rowsError = Object.entries(generate.fieldErrors).find(([k]) => k.startsWith('rows'))?.[1];
  const total = plan.reduce((n, r) => n + r.seats, 0);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="seats-title" className="stack">
      <div>
        <h3 id="seats-title">Generate seats</h3>
        <p className="small muted">
          {event.seats.total > 0
            ? `This event has ${event.seats.total.toLocaleString('en-US')} seats. New rows must not repeat existing seats; a clash creates nothing.`
            : 'Lay out the venue as rows of seats, then give each range of rows a tier.'}
        </p>
      </div>
      <div className="form-grid three">
        <TextField
          label="First row"
          value={firstRow}
          maxLength={3}
          onChange={(e) => setFirstRow(e.target.value.toUpperCase())}
          errors={validFirst ? undefined : ['1 to 3 capital letters.']}
        />
        <TextField label="Rows" type="number" min={1} max={2000} value={rows} onChange={(e) => setRows(e.target.value)} />
        <TextField label="Seats per row" type="number" min={1} max={1000} value={seatsPerRow} onChange={(e) => setSeatsPerRow(e.target.value)} />
      </div>
      <fieldset className="bands">
        <legend>Tiers by row</legend>
        {bands.map((band, i) => (
          <div key={i} className="row-fields">
            <TextField
              label="From row #"
              type="number"
              min={1}
              max={rowCount}
              value={band.fromRow}
              onChange={(e) => changeBand(i, { fromRow: Number(e.target.value) })}
              hint={validFirst && band.fromRow >= 1 ? `Row ${rowName(plan[0] ? rowIndexOf(plan[0].name) + band.fromRow - 1 : 0)}` : undefined}
            />
            <TextField
              label="To row #"
              type="number"
              min={1}
              max={rowCount}
              value={band.toRow}
              onChange={(e) => changeBand(i, { toRow: Number(e.target.value) })}
              hint={validFirst && band.toRow >= 1 && plan[0] ? `Row ${rowName(rowIndexOf(plan[0].name) + band.toRow - 1)}` : undefined}
            />
            <SelectField label="Tier" value={band.tierId} onChange={(e) => changeBand(i, { tierId: e.target.value })}>
              {tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
            {bands.length > 1 && (
              <button
                type="button"
                className="button button-ghost remove"
                aria-label={`Remove tier range ${i + 1}`}
                onClick={() => setBands((all) => all.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          className="button button-secondary button-small"
          onClick={() =>
            setBands((all) => [
              ...all,
              {
                fromRow: Math.min(rowCount, (all[all.length - 1]?.toRow ?? 0) + 1),
                toRow: rowCount,
                tierId: tiers[Math.min(all.length, tiers.length - 1)]!.id,
              },
            ])
          }
        >
          Add tier range
        </button>
      </fieldset>

      <div aria-labelledby="preview-title">
        <h4 id="preview-title">
          Preview: {plan.length} rows{lastRowName ? ` (${plan[0]?.name}–${lastRowName})` : ''}, {total.toLocaleString('en-US')} seats
        </h4>
        {plan.length > 0 ? (
          <SeatMap map={preview} selected={NO_SELECTION} height={280} label="Preview of the new seats" legend="tiers" />
        ) : (
          <p className="muted small">Enter rows and seats to see the preview.</p>
        )}
      </div>
      <FormError>{generate.formError ?? rowsError?.join(' ')}</FormError>
      <div>
        <PendingButton pending={generate.pending} pendingLabel="Creating seats…" disabled={plan.length === 0 || !!justCreated}>
          {justCreated ? (
            <>
              <span aria-hidden="true">✓ </span>
              {justCreated.created.toLocaleString('en-US')} seats created
            </>
          ) : (
            `Create ${total.toLocaleString('en-US')} seats`
          )}
        </PendingButton>
      </div>
    </form>
  );
}
