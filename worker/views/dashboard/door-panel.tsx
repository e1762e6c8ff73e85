import type { DoorScreens } from '../../dashboard/door-access';

/** "The door" on an event's page: the door screens this person may open. */
export function DoorPanel(props: { eventId: string; screens: DoorScreens }) {
  const base = `/dashboard/events/${props.eventId}`;
  const links: [boolean, string, string][] = [
    [props.screens.lists, `${base}/checkin-lists`, 'Check-in lists and live counts'],
    [props.screens.devices, `${base}/devices`, 'Devices'],
    [props.screens.conflicts, `${base}/conflicts`, 'Conflicts'],
  ];
  const shown = links.filter(([may]) => may);
  if (shown.length === 0) return null;
  return (
    <section class="card" id="door" aria-labelledby="door-title">
      <h2 id="door-title">The door</h2>
      <ul>
        {shown.map(([, href, label]) => (
          <li>
            <a href={href}>{label}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
