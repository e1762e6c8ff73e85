import type { Child } from 'hono/jsx';
import { type FormFields, field } from '../../dashboard/event-form';

/**
 * Form controls for the dashboard: every control has a label, and an error is tied to its
 * control (`aria-invalid`, `aria-describedby`) and listed in a summary that links to it.
 */

export interface FormState {
  values: FormFields;
  errors: Record<string, string>;
}

export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
const errorId = (name: string) => `${fieldId(name)}-error`;

function describedBy(state: FormState, name: string, hint?: string): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : '', state.errors[name] ? errorId(name) : ''];
  return ids.filter(Boolean).join(' ') || undefined;
}

function Hint(props: { name: string; hint?: string | undefined }) {
  return props.hint ? (
    <p class="hint" id={`${fieldId(props.name)}-hint`}>
      {props.hint}
    </p>
  ) : null;
}

function FieldError(props: { state: FormState; name: string }) {
  const message = props.state.errors[props.name];
  return message ? (
    <p class="field-error" id={errorId(props.name)}>
      {message}
    </p>
  ) : null;
}

export interface InputProps {
  state: FormState;
  name: string;
  label: string;
  type?: 'text' | 'email' | 'url' | 'datetime-local' | 'number';
  hint?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'decimal';
  autocomplete?: string;
  class?: string;
}

export function Input(props: InputProps) {
  const { state, name } = props;
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={fieldId(name)}>{props.label}</label>
      <Hint name={name} hint={props.hint} />
      <input
        id={fieldId(name)}
        name={name}
        type={props.type ?? 'text'}
        value={field(state.values, name)}
        required={props.required}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={state.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(state, name, props.hint)}
      />
      <FieldError state={state} name={name} />
    </div>
  );
}

export function TextArea(props: Omit<InputProps, 'type'> & { rows?: number }) {
  const { state, name } = props;
  return (
    <div class="field">
      <label for={fieldId(name)}>{props.label}</label>
      <Hint name={name} hint={props.hint} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={props.rows ?? 4}
        aria-invalid={state.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(state, name, props.hint)}
      >
        {field(state.values, name)}
      </textarea>
      <FieldError state={state} name={name} />
    </div>
  );
}

export function Select(
  props: Omit<InputProps, 'type'> & { options: readonly (readonly [string, string])[] },
) {
  const { state, name } = props;
  const current = field(state.values, name);
  return (
    <div class={`field ${props.class ?? ''}`}>
      <label for={fieldId(name)}>{props.label}</label>
      <Hint name={name} hint={props.hint} />
      <select
        id={fieldId(name)}
        name={name}
        aria-invalid={state.errors[name] ? 'true' : undefined}
        aria-describedby={describedBy(state, name, props.hint)}
      >
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === current}>
            {text}
          </option>
        ))}
      </select>
      <FieldError state={state} name={name} />
    </div>
  );
}

/** The errors of a refused form, each linking to its field; focused first by the browser. */
export function ErrorSummary(props: { state: FormState; labels: (name: string) => string }) {
  const entries = Object.entries(props.state.errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} id="error-summary">
      <h2>
        {entries.length === 1 ? 'There is a problem' : `There are ${entries.length} problems`}
      </h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#${fieldId(name)}`}>
              {props.labels(name)}: {message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Section(props: { title: string; children: Child; id?: string }) {
  return (
    <fieldset class="section" id={props.id}>
      <legend>{props.title}</legend>
      {props.children}
    </fieldset>
  );
}
