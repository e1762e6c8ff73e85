import type { Child } from 'hono/jsx';
import type { DoorScreens } from '../../dashboard/door-access';
import { DashboardLayout, type NavContext } from './layout';

/** What every door screen of the dashboard shares: the event's title, the door's sub-navigation. */

export type DoorTab = 'lists' | 'devices' | 'conflicts';

export interface DoorEvent {
  id: string;
  title: string;
  timezone: string;
}

/** A time at the door, short, in the event's zone: "Mar 1, 8:04:09 PM GMT+1". */
export function doorTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    timeZone,
  }).format(new Date(iso));
}

const TABS: [DoorTab, keyof DoorScreens, string, string][] = [
  ['lists', 'lists', 'Check-in lists', 'checkin-lists'],
  ['devices', 'devices', 'Devices', 'devices'],
  ['conflicts', 'conflicts', 'Conflicts', 'conflicts'],
];

export function DoorLayout(props: {
  nav: NavContext;
  event: DoorEvent;
  tab: DoorTab;
  title: string;
  screens: DoorScreens;
  scripts?: ('htmx' | 'dashboard')[];
  children: Child;
}) {
  const base = `/dashboard/events/${props.event.id}`;
  return (
    <DashboardLayout
      title={`${props.title} · ${props.event.title}`}
      nav={props.nav}
      scripts={props.scripts}
    >
      <p>
        <a href={base}>← {props.event.title}</a>
      </p>
      <h1>{props.title}</h1>
      <nav aria-label="The door" class="subnav">
        <ul>
          {TABS.filter(([, screen]) => props.screens[screen]).map(([tab, , label, path]) => (
            <li>
              <a href={`${base}/${path}`} aria-current={tab === props.tab ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </DashboardLayout>
  );
}

/** The answer of a form that worked, from `?done=` after a redirect. */
export function DoneNotice(props: { done: string | undefined; words: Record<string, string> }) {
  const text = props.done ? props.words[props.done] : undefined;
  return text ? (
    <p class="notice ok" role="status">
      {text}
    </p>
  ) : null;
}
