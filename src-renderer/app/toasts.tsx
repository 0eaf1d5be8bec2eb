/**
 * One live region for feedback: "Sparad", and errors translated by code. Confirmations
 * fade after a while; errors stay until dismissed or pushed out, so a guard who looked
 * away still sees that something was not saved.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/errors.ts';

export interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface Toasts {
  info(text: string): void;
  error(text: string): void;
  apiError(error: ApiError): void;
}

const INFO_MS = 8_000;
const MAX_TOASTS = 4;

const ToastContext = createContext<Toasts | null>(null);

export function useToasts(): Toasts {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToasts outside <ToastProvider>');
  return value;
}

export function ToastProvider(props: { children: ReactNode }) {
  const { t } = useTranslation();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const push = useCallback(
    (kind: Toast['kind'], text: string) => {
      const id = nextId.current++;
      setToasts((list) => [...list, { id, kind, text }].slice(-MAX_TOASTS));
      if (kind === 'info') setTimeout(() => dismiss(id), INFO_MS);
    },
    [dismiss],
  );
  const api = useMemo<Toasts>(
    () => ({
      info: (text) => push('info', text),
      error: (text) => push('error', text),
      apiError: (error) => push('error', t(`error.${error.code}`)),
    }),
    [push, t],
  );

  return (
    <ToastContext value={api}>
      {props.children}
      <div className="toasts" role="status" aria-live="polite" aria-label={t('toast.region')}>
        {toasts.map((toast) => (
          <div key={toast.id} className={`toast toast-${toast.kind}`}>
            <span className="toast-icon" aria-hidden="true">
              {toast.kind === 'error' ? '⚠' : '✓'}
            </span>
            <span className="toast-text">{toast.text}</span>
            <button
              type="button"
              className="toast-dismiss"
              onClick={() => dismiss(toast.id)}
              aria-label={t('toast.dismiss')}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext>
  );
}
