/**
 * The status board: a grid of units × lines, keyboard first. One cell is in the tab
 * order (roving tabindex); arrows, Home and End move; Enter opens the line's detail,
 * Esc comes back to the same cell.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { LineCell } from './LineCell.tsx';
import { LineDetail } from './LineDetail.tsx';
import { DemoControls } from './DemoControls.tsx';
import { useLineBoard, useNow } from './use-line-board.ts';
import { boardRows, moveInGrid, positionOf } from './model/board-grid.ts';

export function StatusBoard(props: { onShowOutage?: (outageId: string) => void }) {
  const { t } = useTranslation();
  const snapshot = useLineBoard();
  const now = useNow(1000);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  /** Put focus back on the cell after closing the detail. */
  const refocus = useRef(false);

  const board = snapshot.status === 'ready' ? snapshot.board : null;
  const rows = board ? boardRows(board) : [];
  const position = positionOf(rows, focusedId);
  const current = rows[position.row]?.lines[position.col] ?? null;
  const openLine = board?.lines.find((l) => l.id === openId) ?? null;

  useEffect(() => {
    if (openLine || !refocus.current || !current) return;
    refocus.current = false;
    document.getElementById(`line-cell-${current.id}`)?.focus();
  }, [openLine, current]);

  if (snapshot.status === 'loading') return <p role="status">{t('status.loading')}</p>;
  if (snapshot.status === 'error') return <p role="alert">{t('status.unavailable')}</p>;
  if (!board || board.lines.length === 0) return <p>{t('status.noLines')}</p>;

  if (openLine) {
    const unitName = board.units.find((u) => u.id === openLine.unit)?.name ?? openLine.unit;
    return (
      <LineDetail
        key={openLine.id}
        line={openLine}
        unitName={unitName}
        now={now}
        onShowOutage={props.onShowOutage}
        onBack={() => {
          refocus.current = true;
          setOpenId(null);
        }}
      />
    );
  }

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' && current) {
      event.preventDefault();
      setOpenId(current.id);
      return;
    }
    const next = moveInGrid(
      rows.map((r) => r.lines.length),
      position,
      event,
    );
    const line = next ? rows[next.row]?.lines[next.col] : undefined;
    if (!line) return;
    event.preventDefault();
    setFocusedId(line.id);
    document.getElementById(`line-cell-${line.id}`)?.focus();
  };

  return (
    <section className="status-board" aria-labelledby="status-board-heading">
      <div className="toolbar">
        <h1 id="status-board-heading">
          {t('status.board.heading')}
          {board.facility && <span className="muted"> · {board.facility.name}</span>}
        </h1>
        <span className="muted list-hint">{t('status.board.hint')}</span>
      </div>
      <div role="grid" aria-label={t('status.board.gridLabel')} className="board-grid" onKeyDown={onGridKey}>
        {rows.map((row) => (
          <div role="row" key={row.unit.id} className="board-row">
            <div role="rowheader" className="board-unit">
              {row.unit.name}
            </div>
            {row.lines.map((line) => (
              <LineCell
                key={line.id}
                line={line}
                now={now}
                focused={current?.id === line.id}
                onFocus={() => setFocusedId(line.id)}
                onOpen={() => setOpenId(line.id)}
              />
            ))}
          </div>
        ))}
      </div>
      {board.demo && <DemoControls lines={board.lines} />}
    </section>
  );
}
