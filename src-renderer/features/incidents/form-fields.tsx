/**
 * Labelled form controls with their hint and error wired for assistive tech
 * (aria-invalid, aria-describedby) so every form in the console reads the same way.
 */
import { useTranslation } from 'react-i18next';
import type { FieldErrorKind } from './model/field-errors.ts';

export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string');
  return list.length > 0 ? list.join(' ') : undefined;
}

export function FieldError(props: { id: string; kind: FieldErrorKind | undefined }) {
  const { t } = useTranslation();
  if (!props.kind) return null;
  return (
    <p id={props.id} className="field-error">
      <span aria-hidden="true">⚠ </span>
      {t(`fieldError.${props.kind}`)}
    </p>
  );
}

export function TextField(props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: FieldErrorKind | undefined;
  required?: boolean;
  multiline?: boolean;
  rows?: number;
  type?: 'text' | 'datetime-local';
  hint?: string;
}) {
  const { t } = useTranslation();
  const id = `field-${props.name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const common = {
    id,
    name: props.name,
    value: props.value,
    'aria-invalid': props.error ? true : undefined,
    'aria-required': props.required ? true : undefined,
    'aria-describedby': describedBy(props.error && errorId, props.hint && hintId),
    onChange: (e: { target: { value: string } }) => props.onChange(e.target.value),
  };
  return (
    <div className={`field field-${props.name}${props.error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required && <span className="required-mark"> ({t('form.required')})</span>}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 3} />
      ) : (
        <input {...common} type={props.type ?? 'text'} autoComplete="off" />
      )}
      {props.hint && (
        <p id={hintId} className="field-hint">
          {props.hint}
        </p>
      )}
      <FieldError id={errorId} kind={props.error} />
    </div>
  );
}

export function ChoiceField<T extends string>(props: {
  name: string;
  label: string;
  values: readonly T[];
  value: T | '';
  onChange: (value: T) => void;
  text: (value: T) => string;
  optionClass?: (value: T) => string;
  error: FieldErrorKind | undefined;
}) {
  const { t } = useTranslation();
  const errorId = `field-${props.name}-error`;
  return (
    <fieldset
      id={`field-${props.name}`}
      className={`field choice-field field-${props.name}${props.error ? ' invalid' : ''}`}
      role="radiogroup"
      aria-invalid={props.error ? true : undefined}
      aria-required="true"
      aria-describedby={describedBy(props.error && errorId)}
    >
      <legend>
        {props.label}
        <span className="required-mark"> ({t('form.required')})</span>
      </legend>
      <div className="choices">
        {props.values.map((value) => (
          <label key={value} className={`choice ${props.optionClass?.(value) ?? ''}`}>
            <input
              type="radio"
              name={props.name}
              value={value}
              checked={props.value === value}
              onChange={() => props.onChange(value)}
            />
            <span>{props.text(value)}</span>
          </label>
        ))}
      </div>
      <FieldError id={errorId} kind={props.error} />
    </fieldset>
  );
}
