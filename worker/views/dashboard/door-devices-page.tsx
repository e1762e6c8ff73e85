import type { DoorScreens } from '../../dashboard/door-access';
import { DoneNotice, type DoorEvent, DoorLayout, doorTime } from './door-parts';
import type { NavContext } from './layout';

/** An event's door devices: who paired them, when they were last seen, revoke with a confirm step. */

export interface DeviceRow {
  id: string;
  name: string;
  /** Names of the lists it scans on; null: every list. */
  lists: string[] | null;
  /** The person's email or the API key's name that paired it. */
  createdBy: string;
  createdAt: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
}

const DONE: Record<string, string> = {
  revoked: 'Device revoked: its next request is refused.',
};

export function DevicesPage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  devices: DeviceRow[];
  done?: string | undefined;
}) {
  const base = `/dashboard/events/${props.event.id}/devices`;
  const tz = props.event.timezone;
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="devices"
      title="Devices"
      screens={props.screens}
    >
      <DoneNotice done={props.done} words={DONE} />
      <p>
        A paired phone scans and searches attendees for this event's lists, and can do nothing else.
        Revoke a lost one: it is refused at once.
      </p>
      <p>
        <a class="btn" href={`${base}/new`}>
          Add a device
        </a>
      </p>
      {props.devices.length === 0 ? (
        <p class="muted">No devices yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Lists</th>
                <th scope="col">Added by</th>
                <th scope="col">Last seen</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {props.devices.map((d) => (
                <tr id={`device-${d.id}`}>
                  <th scope="row">{d.name}</th>
                  <td data-label="Lists">{d.lists === null ? 'Every list' : d.lists.join(', ')}</td>
                  <td data-label="Added by">
                    {d.createdBy}
                    <span class="small muted"> on {doorTime(d.createdAt, tz)}</span>
                  </td>
                  <td data-label="Last seen">
                    {d.lastSeenAt ? doorTime(d.lastSeenAt, tz) : 'Not yet'}
                  </td>
                  <td data-label="State">
                    {d.revokedAt ? (
                      `Revoked ${doorTime(d.revokedAt, tz)}`
                    ) : (
                      <a href={`${base}/${d.id}/revoke`}>
                        Revoke<span class="sr-only"> {d.name}</span>
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </DoorLayout>
  );
}

export function RevokeDevicePage(props: {
  nav: NavContext;
  event: DoorEvent;
  screens: DoorScreens;
  device: { id: string; name: string };
}) {
  const base = `/dashboard/events/${props.event.id}/devices`;
  return (
    <DoorLayout
      nav={props.nav}
      event={props.event}
      tab="devices"
      title={`Revoke ${props.device.name}?`}
      screens={props.screens}
    >
      <form method="post" action={`${base}/${props.device.id}/revoke`} class="card">
        <p>
          The device is refused from its next request: it can no longer scan, search or sync. Scans
          it already sent stay recorded. To use the phone again, pair it anew.
        </p>
        <div class="actions">
          <button type="submit" class="danger">
            Revoke {props.device.name}
          </button>
          <a href={base}>Keep it</a>
        </div>
      </form>
    </DoorLayout>
  );
}
