import type { FormErrors } from './form';

/** Checkboxes of the workspace's events; none checked means every event. */
export function ScopeFields(props: {
  events: { id: string; title: string }[];
  checked?: readonly string[] | undefined;
  errors?: FormErrors | undefined;
  idPrefix: string;
}) {
  if (props.events.length === 0) return <p class="hint">Access to every event.</p>;
  const error = props.errors?.eventIds;
  return (
    <fieldset>
      <legend>Events</legend>
      <p class="hint">Leave all unchecked for every event, now and later.</p>
      {props.events.map((e) => (
        <label class="check" for={`${props.idPrefix}-${e.id}`}>
          <input
            type="checkbox"
            id={`${props.idPrefix}-${e.id}`}
            name="eventIds"
            value={e.id}
            checked={props.checked?.includes(e.id)}
          />
          {e.title}
        </label>
      ))}
      {error ? <p class="field-error">{error}</p> : null}
    </fieldset>
  );
}

export function scopeText(
  scope: readonly string[] | null,
  events: { id: string; title: string }[],
) {
  if (scope === null) return 'All events';
  const titles = scope.map((id) => events.find((e) => e.id === id)?.title ?? id);
  return titles.length === 0 ? 'No events' : titles.join(', ');
}
