import type { DoorScreens } from '../../dashboard/door-access';
import { type FormFields, field } from '../../dashboard/event-form';
import { type ListFormErrors, listFieldLabel } from '../../dashboard/list-form';
import type { CheckinList } from '../../door/lists';
import { type DoorEvent, DoorLayout } from './door-parts';
import { ErrorSummary, fieldId, Input } from './form-parts';
import type { NavContext } from './layout';

/** Create or edit a check-in list; and the page that asks before a list is deleted. */

function Choice(props: {
  name: string;
  value: string;
  checked: boolean;
  label: string;
  first?: boolean;
}) {
  // The first radio of a group carries the group's id, so the error summary can link to it.
  const id = props.first ? fieldId(props.name) : `${fieldId(props.name)}-${props.value}`;
  return (
    <label class="check" for={id}>
      <input type="radio" id={id} name={props.name} value={props.value} checked={props.checked} />
      {props.label}
    </label>
  );
}

function FieldMessage(props: { errors: ListFormErrors; name: string }) {
  const message = props.errors[props.name];
  return message ? (
    <p class="field-error" id={`${fieldId(props.name)}-error`}>
      {message}
    </p>
  ) : null;
}

export function ListFormPage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  ticketTypes: { id: string; name: string }[];
  /** The list being edited; absent when creating. */
  list?: CheckinList | undefined;
  values: FormFields;
  errors: ListFormErrors;
}) {
  const base = `/dashboard/events/${props.event.id}/checkin-lists`;
  const editing = props.list;
  const state = { values: props.values, errors: props.errors };
  const tickets = field(props.values, 'tickets') || 'all';
  const chosen = new Set(
    [props.values.ticketTypeIds ?? []].flat().filter((v): v is string => typeof v === 'string'),
  );
  const direction = field(props.values, 'direction') || 'entry';
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="lists"
      title={editing ? `Edit ${editing.name}` : 'New check-in list'}
      screens={props.screens}
    >
      <ErrorSummary state={state} labels={listFieldLabel} />
      <form
        method="post"
        action={editing ? `${base}/${editing.id}/edit` : `${base}/new`}
        class="card"
        novalidate
      >
        <Input state={state} name="name" label="Name" hint="For example VIP or Balcony" required />
        <fieldset>
          <legend>Tickets</legend>
          <Choice
            name="tickets"
            value="all"
            checked={tickets !== 'some'}
            label="All tickets of the event"
            first
          />
          <Choice
            name="tickets"
            value="some"
            checked={tickets === 'some'}
            label="Only these ticket types:"
          />
          <FieldMessage errors={props.errors} name="tickets" />
          {props.ticketTypes.map((t, i) => (
            <label class="check" for={i === 0 ? fieldId('ticketTypeIds') : `type-${t.id}`}>
              <input
                type="checkbox"
                id={i === 0 ? fieldId('ticketTypeIds') : `type-${t.id}`}
                name="ticketTypeIds"
                value={t.id}
                checked={chosen.has(t.id)}
              />
              {t.name}
            </label>
          ))}
          <FieldMessage errors={props.errors} name="ticketTypeIds" />
        </fieldset>
        {editing ? (
          <p>
            Direction: <strong>{editing.direction === 'entry' ? 'Entry' : 'Exit'}</strong>{' '}
            <span class="hint">(fixed once a list is created)</span>
          </p>
        ) : (
          <fieldset>
            <legend>Direction</legend>
            <Choice
              name="direction"
              value="entry"
              checked={direction !== 'exit'}
              label="Entry: people come in (a ticket gets in once)"
              first
            />
            <Choice
              name="direction"
              value="exit"
              checked={direction === 'exit'}
              label="Exit: people leave, and may come in again"
            />
            <FieldMessage errors={props.errors} name="direction" />
          </fieldset>
        )}
        <div class="grid dates">
          <Input
            state={state}
            name="validFrom"
            label="Opens"
            type="datetime-local"
            hint={`Optional, ${props.event.timezone} time`}
          />
          <Input
            state={state}
            name="validUntil"
            label="Closes"
            type="datetime-local"
            hint={`Optional, ${props.event.timezone} time`}
          />
        </div>
        <Input state={state} name="gate" label="Gate" hint="Optional, for example North" />
        <div class="actions">
          <button type="submit">{editing ? 'Save list' : 'Create list'}</button>
          <a href={base}>Cancel</a>
        </div>
      </form>
    </DoorLayout>
  );
}

export function DeleteListPage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  list: CheckinList;
}) {
  const base = `/dashboard/events/${props.event.id}/checkin-lists`;
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="lists"
      title={`Delete ${props.list.name}?`}
      screens={props.screens}
    >
      <form method="post" action={`${base}/${props.list.id}/delete`} class="card">
        <p>
          Devices can no longer scan on this list. The scans it already has stay recorded, and the
          other lists keep their counts.
        </p>
        <div class="actions">
          <button type="submit" class="danger">
            Delete {props.list.name}
          </button>
          <a href={base}>Keep it</a>
        </div>
      </form>
    </DoorLayout>
  );
}
