/**
 * The status board as a grid, one row per unit: which lines go in which row, and
 * where the arrow keys move focus. Pure, so keyboard behaviour is tested without a DOM.
 */
import type { LineBoard, LineView } from '../../../../src-shared/telephony.ts';

export interface BoardRow {
  unit: { id: string; name: string };
  lines: LineView[];
}

/** Units in config order, each with its lines; units without lines are left out. */
export function boardRows(board: Pick<LineBoard, 'units' | 'lines'>): BoardRow[] {
  const rows = board.units.map((unit) => ({ unit, lines: board.lines.filter((l) => l.unit === unit.id) }));
  const known = new Set(board.units.map((u) => u.id));
  const orphans = board.lines.filter((l) => !known.has(l.unit));
  if (orphans.length > 0) rows.push({ unit: { id: '', name: '' }, lines: orphans });
  return rows.filter((r) => r.lines.length > 0);
}

export interface CellPosition {
  row: number;
  col: number;
}

export interface GridKey {
  key: string;
  ctrlKey?: boolean;
}

/** Where focus goes for a key, or null when the key is not a grid move. Never leaves the grid. */
export function moveInGrid(rowLengths: readonly number[], from: CellPosition, key: GridKey): CellPosition | null {
  if (rowLengths.length === 0) return null;
  const lastRow = rowLengths.length - 1;
  const clampCol = (row: number, col: number) => Math.max(0, Math.min(col, (rowLengths[row] ?? 1) - 1));
  switch (key.key) {
    case 'ArrowRight':
      return { row: from.row, col: clampCol(from.row, from.col + 1) };
    case 'ArrowLeft':
      return { row: from.row, col: clampCol(from.row, from.col - 1) };
    case 'ArrowDown': {
      const row = Math.min(lastRow, from.row + 1);
      return { row, col: clampCol(row, from.col) };
    }
    case 'ArrowUp': {
      const row = Math.max(0, from.row - 1);
      return { row, col: clampCol(row, from.col) };
    }
    case 'Home':
      return key.ctrlKey ? { row: 0, col: 0 } : { row: from.row, col: 0 };
    case 'End':
      return key.ctrlKey
        ? { row: lastRow, col: clampCol(lastRow, Number.MAX_SAFE_INTEGER) }
        : { row: from.row, col: clampCol(from.row, Number.MAX_SAFE_INTEGER) };
    default:
      return null;
  }
}

/** The position of a line, or the first cell when it is not on the board (any more). */
export function positionOf(rows: readonly BoardRow[], lineId: string | null): CellPosition {
  for (let row = 0; row < rows.length; row++) {
    const col = rows[row]!.lines.findIndex((l) => l.id === lineId);
    if (col >= 0) return { row, col };
  }
  return { row: 0, col: 0 };
}
