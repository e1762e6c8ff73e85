import { raw } from 'hono/html';
import { renderQrSvg } from '../../tickets/qr-svg';
import { Field, type FormErrors, FormProblem } from './form';
import { DashboardLayout, type NavContext } from './layout';

/**
 * "Add a device": name and lists, then the pairing QR. The page shows the one-time pairing
 * code (in the QR's link and as text to type), never a device token: the phone gets its
 * token when it uses the code.
 */

export interface PairingShown {
  deviceId: string;
  deviceName: string;
  code: string;
  url: string;
  expiresAt: string;
}

interface Props {
  nav: NavContext;
  event: { id: string; title: string };
  lists: { id: string; name: string; direction: 'entry' | 'exit' }[];
  values?: { name?: string | undefined; listIds?: string[] | undefined } | undefined;
  errors?: FormErrors | undefined;
  pairing?: PairingShown | undefined;
}

const back = (eventId: string) => `/dashboard/events/${eventId}`;

export function DevicePairingPage(props: Props) {
  const { event, pairing } = props;
  return (
    <DashboardLayout title={`Add a device · ${event.title}`} nav={props.nav}>
      <p class="small">
        <a href={back(event.id)}>{event.title}</a>
      </p>
      {pairing ? <PairingPanel event={event} pairing={pairing} /> : <DeviceForm {...props} />}
    </DashboardLayout>
  );
}

function DeviceForm(props: Props) {
  const checked = new Set(props.values?.listIds ?? []);
  const listError = props.errors?.listIds;
  return (
    <>
      <h1>Add a door device</h1>
      <p>
        A device can scan tickets and search attendees of this event, on the lists you choose, and
        nothing else. You can revoke it at any time.
      </p>
      <FormProblem errors={props.errors} />
      <form
        method="post"
        action={`/dashboard/events/${props.event.id}/devices/new`}
        class="card"
        novalidate
      >
        <Field
          name="name"
          label="Device name"
          hint="For example “North door 1”: shown with every scan it makes."
          value={props.values?.name}
          errors={props.errors}
          required
        />
        <fieldset>
          <legend>Check-in lists</legend>
          <p class="hint">None ticked: every list of the event, also lists added later.</p>
          {props.lists.map((l) => (
            <label class="check" for={`device-list-${l.id}`}>
              <input
                type="checkbox"
                id={`device-list-${l.id}`}
                name="listIds"
                value={l.id}
                checked={checked.has(l.id)}
              />
              {l.name} {l.direction === 'exit' ? '(exit)' : ''}
            </label>
          ))}
          {listError ? <p class="field-error">{listError}</p> : null}
        </fieldset>
        <p>
          <button type="submit">Add device and show the pairing code</button>
        </p>
      </form>
    </>
  );
}

function PairingPanel(props: { event: { id: string }; pairing: PairingShown }) {
  const { pairing } = props;
  const until = `${pairing.expiresAt.slice(11, 16)} UTC`;
  return (
    <>
      <h1>Pair {pairing.deviceName}</h1>
      <div class="notice ok" role="status">
        <p>
          On the door phone, scan this code with the camera, or open <span class="mono">/scan</span>{' '}
          and type the pairing code. It works once, until {until}.
        </p>
      </div>
      <div class="card">
        {/* raw: our own SVG; its only text (the title) is escaped by renderQrSvg. */}
        <p>
          {raw(
            renderQrSvg(pairing.url, {
              moduleSize: 5,
              title: `Pairing QR code for ${pairing.deviceName}`,
            }),
          )}
        </p>
        <p>
          Pairing code:{' '}
          <output class="mono" id="pairing-code">
            {pairing.code}
          </output>
        </p>
        <form
          class="inline"
          method="post"
          action={`/dashboard/events/${props.event.id}/devices/${pairing.deviceId}/pairing-code`}
        >
          <button type="submit">Show a new code</button>
        </form>
      </div>
      <p>
        <a href={back(props.event.id)}>Back to the event</a>
      </p>
    </>
  );
}
