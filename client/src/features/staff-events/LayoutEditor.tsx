import { useMemo, useState, type FormEvent } from 'react';
import { FormError, PendingButton, SelectField, TextField } from '../../components/Form';
import { useToast } from '../../components/Toasts';
import { expandLayout, FEATURE_NAMES, featureList, venueLayout, type VenueLayout, type VenueLayoutInput } from '../../../../shared/layout';
import { issuesToFieldErrors } from '../../../../shared/field-errors';
import { SeatMap, type SeatMapData } from '../seatmap/SeatMap';
import { useGenerateLayout, useSaveTemplate } from '../events/api';
import type { FieldErrors } from '../../lib/errors';
import { useUnsavedChanges } from '../../lib/unsaved-changes';
import { trpc, type RouterOutputs } from '../../trpc';

type EventWithTiers = RouterOutputs['events']['byId'];
const NO_SELECTION = new Set<string>();
const SEAT_LISTS = ['missing', 'wheelchair', 'companion', 'restricted'] as const;
const LIST_LABELS: Record<(typeof SEAT_LISTS)[number], string> = {
  missing: 'Missing seats',
  wheelchair: FEATURE_NAMES.wheelchair + 's',
  companion: FEATURE_NAMES.companion + 's',
  restricted: 'Restricted-view seats',
};

interface GroupDraft {
  from: string;
  to: string;
  seats: string;
  numbering: 'ltr' | 'rtl' | 'odd-even';
  aisles: string;
  tier: string;
}
interface SectionDraft {
  name: string;
  prefix: string;
  rows: GroupDraft[];
  missing: string;
  wheelchair: string;
  companion: string;
  restricted: string;
}

const list = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function toInput(sections: SectionDraft[]): VenueLayoutInput {
  return {
    sections: sections.map((s) => ({
      name: s.name,
      prefix: s.prefix,
      rows: s.rows.map((g) => ({
        from: g.from,
        ...(g.to.trim() ? { to: g.to } : {}),
        seats: g.seats.trim() === '' ? Number.NaN : Number(g.seats),
        numbering: g.numbering,
        aisles: list(g.aisles).map(Number),
        tier: g.tier,
      })),
      missing: list(s.missing),
      wheelchair: list(s.wheelchair),
      companion: list(s.companion),
      restricted: list(s.restricted),
    })),
  };
}

function fromLayout(layout: VenueLayout): SectionDraft[] {
  return layout.sections.map((s) => ({
    name: s.name,
    prefix: s.prefix ?? '',
    rows: s.rows.map((g) => ({
      from: g.from,
      to: g.to ?? '',
      seats: String(g.seats),
      numbering: g.numbering,
      aisles: g.aisles.join(', '),
      tier: g.tier,
    })),
    missing: s.missing.join(', '),
    wheelchair: s.wheelchair.join(', '),
    companion: s.companion.join(', '),
    restricted: s.restricted.join(', '),
  }));
}

const emptyGroup = (tier: string, from = 'A'): GroupDraft => ({ from, to: '', seats: '20', numbering: 'ltr', aisles: '', tier });
const emptySection = (tier: string): SectionDraft => ({
  name: '',
  prefix: '',
  rows: [emptyGroup(tier)],
  missing: '',
  wheelchair: '',
  companion: '',
  restricted: '',
});

/**
 * Seats in sections: rows with numbering and aisles, missing seats, wheelchair spaces with companion
 * seats, restricted-view seats; previewed as shoppers will see them, created in one call, and
 * savable as a venue template for the next event.
 */
export function LayoutEditor({ event }: { event: EventWithTiers }) {
  const toast = useToast();
  const generate = useGenerateLayout();
  const save = useSaveTemplate();
  const templates = trpc.layouts.templates.useQuery();
  const firstTier = event.tiers[0]?.name ?? '';
  const [sections, setSections] = useState<SectionDraft[]>(() => [{ ...emptySection(firstTier), name: 'Stalls' }]);
  const [templateName, setTemplateName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  useUnsavedChanges('Seat layout', touched && created === null);

  const checked = useMemo(() => venueLayout.safeParse(toInput(sections)), [sections]);
  const local: FieldErrors = checked.success ? {} : issuesToFieldErrors(checked.error.issues).fieldErrors;
  // The server names fields under "layout."; the form's own check names them from "sections".
  const server = Object.fromEntries(Object.entries(generate.fieldErrors).map(([k, v]) => [k.replace(/^layout\./, ''), v]));
  const errors = (key: string) => (touched ? local[key] : undefined) ?? server[key];
  const seats = useMemo(() => (checked.success ? expandLayout(checked.data) : []), [checked]);
  const planKey = JSON.stringify(sections);
  const justCreated = created === planKey;

  const preview = useMemo<SeatMapData>(() => {
    const tierIds = new Map(event.tiers.map((t) => [t.name.toLowerCase(), t.id]));
    const rows = new Map<string, SeatMapData['rows'][number]>();
    for (const seat of seats) {
      let row = rows.get(seat.row);
      if (!row) rows.set(seat.row, (row = { name: seat.row, section: seat.section, seats: [] }));
      const features = featureList(seat.features);
      row.seats.push({
        number: seat.number,
        status: 'AVAILABLE',
        tierId: tierIds.get(seat.tier.toLowerCase()) ?? '',
        mine: false,
        position: seat.position,
        ...(features.length ? { features } : {}),
      });
    }
    return { eventId: event.id, holdMinutes: 0, tiers: event.tiers, rows: [...rows.values()] };
  }, [seats, event]);

  const change = (update: (draft: SectionDraft[]) => SectionDraft[]) => {
    setTouched(true);
    setSections(update);
  };
  const changeSection = (i: number, patch: Partial<SectionDraft>) => change((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)));
  const changeGroup = (i: number, g: number, patch: Partial<GroupDraft>) =>
    change((all) => all.map((s, j) => (j === i ? { ...s, rows: s.rows.map((r, k) => (k === g ? { ...r, ...patch } : r)) } : s)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!checked.success) return;
    generate.run(
      { eventId: event.id, layout: checked.data },
      {
        onSuccess: ({ created: count }) => {
          setCreated(planKey);
          toast.success(`${count.toLocaleString('en-US')} seats created in ${checked.data.sections.map((s) => s.name).join(', ')}.`);
        },
      },
    );
  };

  const saveTemplate = () => {
    setTouched(true);
    if (!checked.success) return;
    save.run({ name: templateName, layout: checked.data }, { onSuccess: (t) => toast.success(`Template ${t.name} saved.`) });
  };

  const tierOptions = event.tiers.map((t) => (
    <option key={t.id} value={t.name}>
      {t.name}
    </option>
  ));
  return (
    <form onSubmit={submit} noValidate aria-labelledby="layout-title" className="stack">
      <div>
        <h3 id="layout-title">Sections</h3>
        <p className="small muted">
          Name each section and its rows. Rows may repeat letters in another section when it has a prefix (C-A). Aisles go after a number of seats
          counted from the left as the audience faces the stage; list seats as row and number, such as A7.
        </p>
      </div>
      {(templates.data?.length ?? 0) > 0 && (
        <SelectField
          label="Start from a venue template"
          value=""
          onChange={(e) => {
            const template = templates.data?.find((t) => t.id === e.target.value);
            if (template) {
              setSections(fromLayout(template.layout));
              setTemplateName(template.name);
              setTouched(true);
            }
          }}
        >
          <option value="">Choose a template…</option>
          {templates.data?.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} · {t.seats.toLocaleString('en-US')} seats
            </option>
          ))}
        </SelectField>
      )}
      {sections.map((section, i) => (
        <fieldset key={i} className="layout-section">
          <legend>{section.name || `Section ${i + 1}`}</legend>
          <div className="form-grid three">
            <TextField
              label="Section name"
              value={section.name}
              onChange={(e) => changeSection(i, { name: e.target.value })}
              errors={errors(`sections.${i}.name`)}
            />
            <TextField
              label="Row prefix (optional)"
              value={section.prefix}
              maxLength={3}
              onChange={(e) => changeSection(i, { prefix: e.target.value.toUpperCase() })}
              errors={errors(`sections.${i}.prefix`)}
            />
            {sections.length > 1 && (
              <button
                type="button"
                className="button button-ghost remove"
                onClick={() => change((all) => all.filter((_, j) => j !== i))}
                aria-label={`Remove section ${section.name || i + 1}`}
              >
                Remove section
              </button>
            )}
          </div>
          {section.rows.map((group, g) => (
            <div key={g} className="row-fields layout-rows" role="group" aria-label={`${section.name || `Section ${i + 1}`} rows ${g + 1}`}>
              <TextField
                label="From row"
                value={group.from}
                maxLength={3}
                onChange={(e) => changeGroup(i, g, { from: e.target.value.toUpperCase() })}
                errors={errors(`sections.${i}.rows.${g}.from`)}
              />
              <TextField
                label="To row"
                value={group.to}
                maxLength={3}
                placeholder={group.from}
                onChange={(e) => changeGroup(i, g, { to: e.target.value.toUpperCase() })}
                errors={errors(`sections.${i}.rows.${g}.to`)}
              />
              <TextField
                label="Seats per row"
                type="number"
                min={1}
                max={1000}
                value={group.seats}
                onChange={(e) => changeGroup(i, g, { seats: e.target.value })}
                errors={errors(`sections.${i}.rows.${g}.seats`)}
              />
              <SelectField
                label="Numbering"
                value={group.numbering}
                onChange={(e) => changeGroup(i, g, { numbering: e.target.value as GroupDraft['numbering'] })}
              >
                <option value="ltr">1, 2, 3 from the left</option>
                <option value="rtl">1, 2, 3 from the right</option>
                <option value="odd-even">Odd left, even right of centre</option>
              </SelectField>
              <TextField
                label="Aisles after seats"
                value={group.aisles}
                placeholder="10, 20"
                onChange={(e) => changeGroup(i, g, { aisles: e.target.value })}
                errors={errors(`sections.${i}.rows.${g}.aisles`)}
              />
              <SelectField
                label="Tier"
                value={group.tier}
                onChange={(e) => changeGroup(i, g, { tier: e.target.value })}
                errors={errors(`sections.${i}.rows.${g}.tier`)}
              >
                {tierOptions}
              </SelectField>
            </div>
          ))}
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() => change((all) => all.map((s, j) => (j === i ? { ...s, rows: [...s.rows, emptyGroup(firstTier, '')] } : s)))}
          >
            Add rows
          </button>
          <div className="form-grid">
            {SEAT_LISTS.map((key) => (
              <TextField
                key={key}
                label={`${LIST_LABELS[key]} (optional)`}
                value={section[key]}
                placeholder="A1, A2"
                onChange={(e) => changeSection(i, { [key]: e.target.value })}
                errors={Object.entries(touched ? local : {})
                  .concat(Object.entries(server))
                  .filter(([k]) => k.startsWith(`sections.${i}.${key}`))
                  .flatMap(([, v]) => v)}
              />
            ))}
          </div>
        </fieldset>
      ))}
      <div>
        <button type="button" className="button button-secondary" onClick={() => change((all) => [...all, emptySection(firstTier)])}>
          Add section
        </button>
      </div>
      <div aria-labelledby="layout-preview-title">
        <h4 id="layout-preview-title">
          Preview: {preview.rows.length} rows, {seats.length.toLocaleString('en-US')} seats
        </h4>
        {seats.length > 0 ? (
          <SeatMap map={preview} selected={NO_SELECTION} height={320} label="Preview of the sections" legend="tiers" />
        ) : (
          <p className="muted small">Fill in the sections to see the preview.</p>
        )}
      </div>
      <FormError>
        {generate.formError ??
          (touched && !checked.success ? (errors('sections')?.join(' ') ?? 'Some fields need a look: see the messages above.') : null)}
      </FormError>
      <div className="button-row">
        <PendingButton pending={generate.pending} pendingLabel="Creating seats…" disabled={seats.length === 0 || justCreated}>
          {justCreated ? `✓ Seats created` : `Create ${seats.length.toLocaleString('en-US')} seats`}
        </PendingButton>
      </div>
      <div className="row-fields">
        <TextField
          label="Template name"
          value={templateName}
          onChange={(e) => setTemplateName(e.target.value)}
          errors={save.fieldErrors.name}
          placeholder="Lyric Theatre"
        />
        <PendingButton
          type="button"
          variant="secondary"
          pending={save.pending}
          pendingLabel="Saving…"
          onClick={saveTemplate}
          disabled={seats.length === 0}
        >
          Save as venue template
        </PendingButton>
      </div>
      <FormError>{save.formError}</FormError>
    </form>
  );
}
