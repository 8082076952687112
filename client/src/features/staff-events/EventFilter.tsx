import { SelectField } from '../../components/Form';
import { trpc } from '../../trpc';

/** The "Event" filter of staff lists and reports: any event, past ones included, or all of them (''). */
export function EventFilter({ value, onChange }: { value: string; onChange: (eventId: string) => void }) {
  const events = trpc.events.list.useQuery({ includePast: true, limit: 100 });
  return (
    <SelectField label="Event" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All events</option>
      {(events.data?.items ?? []).map((ev) => (
        <option key={ev.id} value={ev.id}>
          {ev.name}
        </option>
      ))}
    </SelectField>
  );
}
