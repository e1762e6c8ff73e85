import type { Usage } from './editor-catalog';
import { EventEditor } from './event-editor';
import type { FormState } from './form-parts';
import { DashboardLayout, type NavContext } from './layout';

/** The editor in the dashboard's layout: a new event, or an existing one. */
export function EventEditorPage(props: {
  nav: NavContext;
  title: string;
  eventId: string | null;
  state: FormState;
  usage: Map<string, Usage>;
  extraTypeRows: number;
  extraQuotaRows: number;
  publicOrigin: string;
}) {
  const back = props.eventId ? `/dashboard/events/${props.eventId}` : '/dashboard/events';
  return (
    <DashboardLayout title={props.title} nav={props.nav} scripts={['dashboard']}>
      <p>
        <a href={back}>← {props.eventId ? 'Back to the event' : 'Events'}</a>
      </p>
      <h1>{props.title}</h1>
      <EventEditor
        state={props.state}
        action={props.eventId ? `/dashboard/events/${props.eventId}/edit` : '/dashboard/events/new'}
        usage={props.usage}
        extraTypeRows={props.extraTypeRows}
        extraQuotaRows={props.extraQuotaRows}
        submitLabel={props.eventId ? 'Save changes' : 'Create draft'}
        publicOrigin={props.publicOrigin}
      />
    </DashboardLayout>
  );
}
