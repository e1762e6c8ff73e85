import { field, keyFromName, rowIndices } from '../../dashboard/event-form';
import { QuotasSection, TicketTypesSection, type Usage } from './editor-catalog';
import { ErrorSummary, type FormState, Input, Section, Select, TextArea } from './form-parts';

/** The event editor: one form for every field of the organizer API, usable without JS. */

const TIME_ZONES = Intl.supportedValuesOf('timeZone').map((tz) => [tz, tz] as const);
const CURRENCIES = Intl.supportedValuesOf('currency').map((c) => [c, c] as const);
const ROOM_MODES = [
  ['off', 'Off: buyers choose tickets right away'],
  ['auto', 'Automatic: only while more buyers shop than the threshold'],
  ['always', 'Always: every buyer queues first'],
] as const;

const LABELS: Record<string, string> = {
  title: 'Title',
  slug: 'Address',
  description: 'Description',
  timezone: 'Time zone',
  currency: 'Currency',
  startsAt: 'Starts',
  endsAt: 'Ends',
  salesStartAt: 'Sales start',
  salesEndAt: 'Sales end',
  holdMinutes: 'Hold time',
  maxPerOrder: 'Tickets per order',
  maxHeldPerClient: 'Tickets one buyer may hold',
  'venue.name': 'Venue',
  'venue.address': 'Address',
  'venue.city': 'City',
  'venue.country': 'Country',
  allowedOrigins: 'Allowed sites',
  testMode: 'Test mode',
  'waitingRoom.mode': 'Waiting room',
};

/** A field's name as the organizer reads it in the error summary. */
export function labelOf(name: string): string {
  const row = /^(types|quotas)\.(\d+)\.(\w+)$/.exec(name);
  if (row) {
    const [, group, index, part] = row;
    return `${group === 'types' ? 'Ticket type' : 'Quota'} ${Number(index) + 1}, ${part}`;
  }
  if (name.startsWith('waitingRoom.')) return `Waiting room, ${name.slice(12)}`;
  return LABELS[name] ?? name;
}

export interface EditorProps {
  state: FormState;
  action: string;
  /** Sold and held by ticket-type id (an existing event). */
  usage: Map<string, Usage>;
  extraTypeRows: number;
  extraQuotaRows: number;
  submitLabel: string;
  publicOrigin: string;
}

export function EventEditor(props: EditorProps) {
  const { state } = props;
  // A blank key is made from the name when saved (readEventForm): a type typed but not yet
  // saved can already be put in a quota.
  const typeKeys = rowIndices(state.values, 'types')
    .map((row) => {
      const name = field(state.values, `types.${row}.name`);
      return { key: field(state.values, `types.${row}.key`) || keyFromName(name), name };
    })
    .filter((t) => t.key);
  const slug = field(state.values, 'slug') || 'your-event';
  return (
    <form method="post" action={props.action} class="editor" novalidate>
      {/* Enter in a field presses a form's first submit button: let that be "save", not the
          "add another" buttons further down. Laid out but invisible (so out of the tab order
          and the accessibility tree); the visible save button is at the end. */}
      <button class="default-submit" type="submit" name="intent" value="save" tabindex={-1}>
        {props.submitLabel}
      </button>
      <ErrorSummary state={state} labels={labelOf} />
      <Section title="Basics">
        <Input state={state} name="title" label={LABELS.title ?? ''} required />
        <Input
          state={state}
          name="slug"
          label={LABELS.slug ?? ''}
          hint={`The event page is ${props.publicOrigin}/e/${slug}. Leave empty to make it from the title.`}
        />
        <TextArea state={state} name="description" label="Description" rows={5} />
      </Section>
      <Section title="When and where">
        <Select state={state} name="timezone" label="Time zone" options={TIME_ZONES} />
        <div class="grid dates">
          <Input state={state} name="startsAt" label="Starts" type="datetime-local" required />
          <Input state={state} name="endsAt" label="Ends" type="datetime-local" />
        </div>
        <Input state={state} name="venue.name" label="Venue" required />
        <div class="grid">
          <Input state={state} name="venue.address" label="Street address" class="wide" />
          <Input state={state} name="venue.city" label="City" />
          <Input state={state} name="venue.country" label="Country" hint="Two letters, e.g. DE" />
        </div>
      </Section>
      <Section title="Sales">
        <div class="grid">
          <Select state={state} name="currency" label="Currency" options={CURRENCIES} />
          <Input state={state} name="maxPerOrder" label="Tickets per order" inputmode="numeric" />
          <Input
            state={state}
            name="holdMinutes"
            label="Hold time (minutes)"
            inputmode="numeric"
            hint="How long tickets stay reserved while a buyer checks out"
          />
          <Input
            state={state}
            name="maxHeldPerClient"
            label="Tickets one buyer may hold"
            inputmode="numeric"
            hint="At once, across holds; empty: twice the tickets per order"
          />
        </div>
        <div class="grid dates">
          <Input
            state={state}
            name="salesStartAt"
            label="Sales start"
            type="datetime-local"
            hint="Empty: as soon as it is published"
          />
          <Input
            state={state}
            name="salesEndAt"
            label="Sales end"
            type="datetime-local"
            hint="Empty: until the event starts"
          />
        </div>
      </Section>
      <TicketTypesSection
        state={state}
        currency={field(state.values, 'currency')}
        usage={props.usage}
        extraRows={props.extraTypeRows}
      />
      <QuotasSection state={state} typeKeys={typeKeys} extraRows={props.extraQuotaRows} />
      <Section title="Waiting room" id="waiting-room">
        <Select state={state} name="waitingRoom.mode" label="Waiting room" options={ROOM_MODES} />
        <div class="grid">
          <Input
            state={state}
            name="waitingRoom.activeLimit"
            label="Shoppers at once"
            inputmode="numeric"
          />
          <Input
            state={state}
            name="waitingRoom.admitPerMinute"
            label="Admissions per minute"
            inputmode="numeric"
          />
          <Input
            state={state}
            name="waitingRoom.autoThreshold"
            label="Automatic above"
            inputmode="numeric"
          />
          <Input
            state={state}
            name="waitingRoom.admissionMinutes"
            label="Admission lasts (minutes)"
            inputmode="numeric"
          />
          <Input
            state={state}
            name="waitingRoom.preQueueMinutes"
            label="Line opens before sales (minutes)"
            inputmode="numeric"
          />
        </div>
      </Section>
      <Section title="Sell on your site" id="embed">
        <TextArea
          state={state}
          name="allowedOrigins"
          label="Allowed sites"
          hint="One origin per line, e.g. https://www.example.org: the sites where the ticket widget may run"
          rows={3}
        />
        <EmbedSnippet origin={props.publicOrigin} slug={slug} />
      </Section>
      <Section title="Test mode" id="test-mode">
        <input type="hidden" name="testMode.present" value="1" />
        <label class="check" for="field-testMode">
          <input
            type="checkbox"
            id="field-testMode"
            name="testMode"
            value="1"
            checked={field(state.values, 'testMode') === '1'}
          />{' '}
          Test mode: buyers pay with test payments, tickets say TEST and are refused at a live door;
          test orders stay out of your numbers and can be deleted at once
        </label>
        {state.errors.testMode ? <p class="error">{state.errors.testMode}</p> : null}
      </Section>
      <div class="actions">
        <button class="btn" type="submit" name="intent" value="save">
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}

/** The two lines an organizer pastes into their site. */
export function EmbedSnippet(props: { origin: string; slug: string }) {
  const snippet = `<script src="${props.origin}/widget/v1.js" async></script>\n<tessera-tickets event="${props.slug}"></tessera-tickets>`;
  return (
    <div class="field">
      <label for="embed-snippet">Paste these two lines into your page</label>
      <textarea id="embed-snippet" class="mono" rows={2} readonly data-copy>
        {snippet}
      </textarea>
    </div>
  );
}
