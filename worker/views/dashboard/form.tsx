import type { Child } from 'hono/jsx';
import type { FieldError } from '../../domain/errors';
import { ErrorSummary, Input, type InputProps, Select } from './form-parts';

/**
 * The short forms of the dashboard (sign-in, team, keys, workspace): one value per field.
 * They draw with the same controls as the event editor (form-parts.tsx).
 */

/** Errors of a form by field name (the `path` of the API's `errors[]`). */
export type FormErrors = Record<string, string>;

export function toFormErrors(errors: FieldError[]): FormErrors {
  const out: FormErrors = {};
  for (const error of errors) out[error.path] ??= error.message;
  return out;
}

const stateOf = (name: string, value: string | undefined, errors: FormErrors | undefined) => ({
  values: { [name]: value ?? '' },
  errors: errors ?? {},
});

/** A labelled input with its hint and its error, wired for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  value?: string | undefined;
  type?: InputProps['type'] | undefined;
  hint?: string | undefined;
  errors?: FormErrors | undefined;
  autocomplete?: string | undefined;
  required?: boolean | undefined;
}) {
  return (
    <Input
      state={stateOf(props.name, props.value, props.errors)}
      name={props.name}
      label={props.label}
      type={props.type ?? 'text'}
      {...(props.hint ? { hint: props.hint } : {})}
      {...(props.autocomplete ? { autocomplete: props.autocomplete } : {})}
      {...(props.required ? { required: true } : {})}
    />
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
  return (
    <Select
      state={stateOf(props.name, props.value, props.errors)}
      name={props.name}
      label={props.label}
      options={props.options}
    />
  );
}

/** A summary of what went wrong at the top of a form: every error, linked to its field. */
export function FormProblem(props: {
  errors?: FormErrors | undefined;
  labels?: Record<string, string>;
  children?: Child;
}) {
  return (
    <ErrorSummary
      state={{ values: {}, errors: props.errors ?? {} }}
      labels={(name) => props.labels?.[name] ?? name}
    />
  );
}
