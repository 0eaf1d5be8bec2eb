/**
 * "Rapportera telefonproblem": three keystrokes from anywhere. Alt+T opens it with
 * the guard's own critical line chosen and focus on the problems; a digit (1–5) or the
 * arrows choose one; Enter sends. It says "saved" only after the core committed the
 * report, and stays open with the reason when it did not.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LINE_PROBLEMS, type LineBoard, type LineProblem } from '../../../src-shared/telephony.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { useToasts } from '../../app/toasts.tsx';
import { boardRows } from './model/board-grid.ts';
import { defaultReportLine } from './model/report-default.ts';
import { stateText } from './model/line-state.ts';

interface Props {
  board: LineBoard;
  /** The console's unit (launch option), to choose its critical line first. */
  unit: string | null;
  /** Open on this line instead (from a line's detail). */
  lineId?: string | null;
  onClose(): void;
}

export function ReportProblemDialog(props: Props) {
  const { t } = useTranslation();
  const api = useApi();
  const toasts = useToasts();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const firstProblemRef = useRef<HTMLInputElement>(null);
  const [lineId, setLineId] = useState(() => props.lineId ?? defaultReportLine(props.board, props.unit) ?? '');
  const [problem, setProblem] = useState<LineProblem | null>(null);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    firstProblemRef.current?.focus();
    return () => dialog.close();
  }, []);

  const line = props.board.lines.find((l) => l.id === lineId);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (saving) return;
    if (!line) return setError(t('status.report.chooseLine'));
    if (!problem) {
      firstProblemRef.current?.focus();
      return setError(t('status.report.chooseProblem'));
    }
    if (problem === 'other' && !text.trim()) return setError(t('status.report.describe'));
    setSaving(true);
    setError(null);
    const result = await api.call('lines.reportProblem', { lineId: line.id, problem, text: text.trim() });
    setSaving(false);
    if (!result.ok) {
      setError(t(`error.${result.error.code}`));
      return;
    }
    toasts.info(t('status.report.saved', { line: line.name }));
    props.onClose();
  }

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    // Keys typed here are the dialog's: the shell's shortcuts (N, /) must not act behind it.
    event.nativeEvent.stopPropagation();
    const target = event.target as HTMLElement;
    const inText = target instanceof HTMLInputElement && target.type === 'text';
    const digit = Number(event.key);
    if (!inText && !event.altKey && !event.ctrlKey && Number.isInteger(digit) && digit >= 1) {
      const chosen = LINE_PROBLEMS[digit - 1];
      if (chosen) {
        event.preventDefault();
        setProblem(chosen);
        document.getElementById(`report-problem-${chosen}`)?.focus();
      }
    } else if (event.key === 'Enter' && !event.shiftKey && target.tagName !== 'BUTTON') {
      event.preventDefault();
      void submit();
    }
  }

  return (
    <dialog
      ref={dialogRef}
      className="report-dialog"
      aria-labelledby="report-heading"
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="report-heading">{t('status.report.heading')}</h2>
        <label className="report-field">
          <span>{t('status.report.line')}</span>
          <select value={lineId} onChange={(event) => setLineId(event.target.value)} name="line">
            {boardRows(props.board).map((row) => (
              <optgroup key={row.unit.id} label={row.unit.name}>
                {row.lines.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name} – {stateText(t, l)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <fieldset className="report-problems">
          <legend>{t('status.report.problem')}</legend>
          {LINE_PROBLEMS.map((p, i) => (
            <label key={p} className="report-problem">
              <input
                ref={i === 0 ? firstProblemRef : undefined}
                id={`report-problem-${p}`}
                type="radio"
                name="problem"
                value={p}
                checked={problem === p}
                onChange={() => setProblem(p)}
              />
              <kbd aria-hidden="true">{i + 1}</kbd> {t(`status.problem.${p}`)}
            </label>
          ))}
        </fieldset>
        <label className="report-field">
          <span>
            {t('status.report.text')}{' '}
            <span className="muted">
              {problem === 'other' ? t('status.report.textRequired') : t('status.report.textOptional')}
            </span>
          </span>
          <input type="text" name="text" value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
        </label>
        <p className="muted report-hint">{t('status.report.hint')}</p>
        {error && (
          <p className="report-error" role="alert">
            {error}
          </p>
        )}
        <div className="report-actions">
          <button type="submit" className="primary" disabled={saving}>
            {saving ? t('status.report.saving') : t('status.report.submit')}
          </button>
          <button type="button" onClick={props.onClose}>
            {t('status.report.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
