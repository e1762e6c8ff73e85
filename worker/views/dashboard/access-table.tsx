import type { Child } from 'hono/jsx';
import { ROLE_LABELS, type Role } from '../../access/roles';
import { scopeText } from './scope-fields';

/** One who may act in the workspace (a member, an API key), with what else its row shows. */
export interface AccessRow {
  name: Child;
  role: Role;
  eventScope: string[] | null;
  /** The cells of the `more` columns, each with its phone label (none: no label line). */
  more: { label?: string | undefined; content: Child }[];
}

/**
 * Who may do what: the name, the role, the events it is limited to, then `more` columns.
 * On a phone each row is a block of labelled lines (styles.ts: .stack).
 */
export function AccessTable(props: {
  nameHeading: string;
  more: string[];
  rows: AccessRow[];
  events: { id: string; title: string }[];
}) {
  return (
    <div class="table-wrap">
      <table class="stack">
        <thead>
          <tr>
            <th scope="col">{props.nameHeading}</th>
            <th scope="col">Role</th>
            <th scope="col">Events</th>
            {props.more.map((heading) => (
              <th scope="col">{heading}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              <td>{row.name}</td>
              <td data-label="Role">{ROLE_LABELS[row.role]}</td>
              <td data-label="Events">{scopeText(row.eventScope, props.events)}</td>
              {row.more.map((cell) => (
                <td data-label={cell.label}>{cell.content}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
