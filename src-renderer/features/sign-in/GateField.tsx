/** One big labelled input of the sign-in and setup screens, with its error tied to it for screen readers. */
import type { Ref } from 'react';

export interface GateFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  kind: 'staffNumber' | 'name' | 'pin';
  inputRef?: Ref<HTMLInputElement>;
  hint?: string;
}

export function GateField(props: GateFieldProps) {
  const { id, label, value, onChange, error, kind, inputRef, hint } = props;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="gate-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        className="gate-input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        type={kind === 'pin' ? 'password' : 'text'}
        inputMode={kind === 'pin' ? 'numeric' : undefined}
        autoCapitalize={kind === 'staffNumber' ? 'characters' : undefined}
        autoComplete="off"
        spellCheck={false}
        maxLength={kind === 'pin' ? 8 : kind === 'staffNumber' ? 32 : 120}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <p id={`${id}-hint`} className="gate-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="gate-error">
          <span aria-hidden="true">⚠ </span>
          {error}
        </p>
      )}
    </div>
  );
}
