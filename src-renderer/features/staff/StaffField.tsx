/** A labelled input of the staff page with its error tied to it. */
import type { Ref } from 'react';

export function StaffField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  pin?: boolean;
  hint?: string;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { id, label, value, onChange, error, pin, hint, inputRef } = props;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="staff-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        type={pin ? 'password' : 'text'}
        inputMode={pin ? 'numeric' : undefined}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <small id={`${id}-hint`} className="staff-hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="staff-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </small>
      )}
    </div>
  );
}
