/** A labelled text input with its hint and its error wired for assistive tech. */
import type { Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolErrorKind } from './model/enrol-errors.ts';

export function SyncField({
  ref,
  ...props
}: {
  name: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  error: EnrolErrorKind | undefined;
  ref?: Ref<HTMLInputElement>;
  type?: 'text' | 'url';
  required?: boolean;
}) {
  const { t } = useTranslation();
  const id = `sync-${props.name}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className="sync-field">
      <label htmlFor={id}>
        {props.label}
        {props.required && <span className="muted"> ({t('form.required')})</span>}
      </label>
      <input
        id={id}
        ref={ref}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-required={props.required ? true : undefined}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${errorId} ${hintId}` : hintId}
      />
      <p id={hintId} className="sync-hint">
        {props.hint}
      </p>
      {props.error && (
        <p id={errorId} className="sync-field-error">
          <span aria-hidden="true">⚠ </span>
          {t(`sync.enrolError.${props.error}`)}
        </p>
      )}
    </div>
  );
}
