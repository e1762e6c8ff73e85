import { type FormFields, field, rowIndices } from '../../dashboard/event-form';
import { type FormState, fieldId, Input, Section } from './form-parts';

/** Sold and held per ticket type and quota id, to show beside capacities. */
export interface Usage {
  sold: number;
  held: number;
}

/** The form rows to draw: those in the values, plus `extra` blank ones to add with. */
function rowsOf(values: FormFields, prefix: string, extra: number): number[] {
  const rows = rowIndices(values, prefix);
  const next = rows.length > 0 ? Math.max(...rows) + 1 : 0;
  return [...rows, ...Array.from({ length: extra }, (_, i) => next + i)];
}

export function TicketTypesSection(props: {
  state: FormState;
  currency: string;
  usage: Map<string, Usage>;
  extraRows: number;
}) {
  const { state } = props;
  return (
    <Section title="Ticket types" id={fieldId('ticketTypes')}>
      <p class="hint">
        Prices in {props.currency || 'the event’s currency'}; 0 makes a ticket free. A capacity
        can’t go below what is sold plus held. Buyers see the types in this order; Up and Down move
        a type, and Save keeps the new order.
      </p>
      {rowsOf(state.values, 'types', props.extraRows).map((row, position, rows) => {
        const id = field(state.values, `types.${row}.id`);
        const usage = id ? props.usage.get(id) : undefined;
        const hidden = `types.${row}.hidden`;
        return (
          // A group per row: its "Name", "Price"… are told apart by the row's legend.
          <fieldset class="row-card">
            <legend>Ticket type {position + 1}</legend>
            {id ? <input type="hidden" name={`types.${row}.id`} value={id} /> : null}
            <div class="grid">
              <Input state={state} name={`types.${row}.name`} label="Name" class="wide" />
              <Input state={state} name={`types.${row}.price`} label="Price" inputmode="decimal" />
              <Input
                state={state}
                name={`types.${row}.capacity`}
                label="Capacity"
                inputmode="numeric"
              />
              <Input
                state={state}
                name={`types.${row}.key`}
                label="Key"
                hint={id ? undefined : 'Optional: made from the name'}
              />
            </div>
            <label class="check" for={fieldId(hidden)}>
              <input
                type="checkbox"
                id={fieldId(hidden)}
                name={hidden}
                value="1"
                checked={field(state.values, hidden) === '1'}
              />{' '}
              Hidden: buyers don’t see or buy it (sold tickets stay valid)
            </label>
            {usage ? (
              <p class="hint">
                {usage.sold} sold, {usage.held} held right now
              </p>
            ) : null}
            <MoveButtons
              row={row}
              name={field(state.values, `types.${row}.name`) || `ticket type ${position + 1}`}
              first={position === 0}
              last={position === rows.length - 1}
            />
          </fieldset>
        );
      })}
      <button class="btn secondary" type="submit" name="intent" value="add-type">
        Add another ticket type
      </button>
    </Section>
  );
}

/** Up / down: the form comes back with this row swapped with its neighbour (nothing saved). */
function MoveButtons(props: { row: number; name: string; first: boolean; last: boolean }) {
  if (props.first && props.last) return null;
  const button = (direction: 'up' | 'down', label: string) => (
    <button
      class="secondary"
      type="submit"
      name="intent"
      value={`move-type:${props.row}:${direction}`}
      aria-label={`Move ${props.name} ${direction}`}
    >
      {label}
    </button>
  );
  return (
    <div class="inline">
      {props.first ? null : button('up', '↑ Up')}
      {props.last ? null : button('down', '↓ Down')}
    </div>
  );
}

export function QuotasSection(props: {
  state: FormState;
  typeKeys: { key: string; name: string }[];
  extraRows: number;
}) {
  const { state, typeKeys } = props;
  return (
    <Section title="Quotas" id={fieldId('quotas')}>
      <input type="hidden" name="quotas.present" value="1" />
      <p class="hint">
        A quota is a limit several ticket types share, such as the venue’s capacity. A ticket type
        is on sale only while every quota it draws from has room.
      </p>
      {rowsOf(state.values, 'quotas', props.extraRows).map((row, position) => {
        const name = `quotas.${row}.types`;
        const members = new Set(
          ([] as string[]).concat(state.values[name] ?? []).map((v) => v.toString()),
        );
        return (
          <fieldset class="row-card">
            <legend>Quota {position + 1}</legend>
            <div class="grid">
              <Input state={state} name={`quotas.${row}.name`} label="Quota name" class="wide" />
              <Input state={state} name={`quotas.${row}.size`} label="Size" inputmode="numeric" />
            </div>
            <fieldset class="checks" id={fieldId(name)}>
              <legend>Ticket types that draw from it</legend>
              {typeKeys.length === 0 ? (
                <p class="hint">Name ticket types first, then add them to quotas.</p>
              ) : (
                typeKeys.map((type) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      name={name}
                      value={type.key}
                      checked={members.has(type.key)}
                    />{' '}
                    {type.name}
                  </label>
                ))
              )}
              {state.errors[name] ? <p class="field-error">{state.errors[name]}</p> : null}
            </fieldset>
          </fieldset>
        );
      })}
      <QuotaMatrix values={state.values} typeKeys={typeKeys} />
      <button class="btn secondary" type="submit" name="intent" value="add-quota">
        Add another quota
      </button>
    </Section>
  );
}

/** Which ticket types draw from which quota, at a glance. */
function QuotaMatrix(props: { values: FormFields; typeKeys: { key: string; name: string }[] }) {
  const quotas = rowIndices(props.values, 'quotas')
    .map((row) => ({
      name: field(props.values, `quotas.${row}.name`),
      members: ([] as string[]).concat(props.values[`quotas.${row}.types`] ?? []),
    }))
    .filter((q) => q.name);
  if (quotas.length === 0 || props.typeKeys.length === 0) return null;
  return (
    <table class="matrix">
      <caption>Ticket types and the quotas they draw from</caption>
      <thead>
        <tr>
          <th scope="col">Ticket type</th>
          {quotas.map((q) => (
            <th scope="col">{q.name}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.typeKeys.map((type) => (
          <tr>
            <th scope="row">{type.name}</th>
            {quotas.map((q) => (
              <td>{q.members.includes(type.key) ? '● draws' : '–'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
