import type { Child } from 'hono/jsx';
import type { FieldError } from '../../domain/errors';

/** Errors of a form by field name (the `path` of the API's `errors[]`). */
export type FormErrors = Record<string, string>;

export function toFormErrors(errors: FieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const error of errors) out[error.path] ??= error.message;
  return out;
}

/** A labelled input with its hint and its error, wired for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  type?: string | undefined;
  hint?: string | undefined;
  errors?: FormErrors | undefined;
  autocomplete?: string | undefined;
  required?: boolean | undefined;
}) {
  const error = props.errors?.[props.name];
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div>
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A select with its error. */
export function SelectField(props: {
  name: string;
  label: string;
  options: [string, string][];
  value?: string | undefined;
  errors?: FormErrors | undefined;
}) {
  const error = props.errors?.[props.name];
  const id = `f-${props.name}`;
  return (
    <div>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value}>
            {label}
          </option>
        ))}
      </select>
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A summary of what went wrong at the top of a form: every error, with its field's name. */
export function FormProblem(props: { errors?: FormErrors | undefined; children?: Child }) {
  const entries = Object.entries(props.errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="notice error" role="alert">
      <p>{props.children ?? 'Please correct these fields:'}</p>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            {field}: {message}
          </li>
        ))}
      </ul>
    </div>
  );
}
