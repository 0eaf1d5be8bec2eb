import { describe, expect, it } from 'vitest';
import { boardRows, moveInGrid, positionOf } from '../../../src-renderer/features/status/model/board-grid.ts';
import { lineView } from './status-fixtures.ts';

const units = [
  { id: 'central', name: 'Centralvakten' },
  { id: 'empty', name: 'Tom avdelning' },
  { id: 'avd-a', name: 'Avdelning A' },
];
const lines = [
  lineView({ id: 'trunk', unit: 'central' }),
  lineView({ id: 'desk-a', unit: 'avd-a' }),
  lineView({ id: 'emergency', unit: 'central' }),
  lineView({ id: 'guard-room', unit: 'central' }),
];

describe('board rows', () => {
  it('puts lines under their unit in config order and leaves out units without lines', () => {
    const rows = boardRows({ units, lines });
    expect(rows.map((r) => [r.unit.name, r.lines.map((l) => l.id)])).toEqual([
      ['Centralvakten', ['trunk', 'emergency', 'guard-room']],
      ['Avdelning A', ['desk-a']],
    ]);
  });

  it('keeps a line whose unit is missing from the units list in a last row', () => {
    const rows = boardRows({ units, lines: [...lines, lineView({ id: 'stray', unit: 'gone' })] });
    expect(rows.at(-1)?.lines.map((l) => l.id)).toEqual(['stray']);
  });
});

describe('moving focus in the grid', () => {
  const lengths = [3, 1, 2];

  it('moves along a row with left and right and stops at its ends', () => {
    expect(moveInGrid(lengths, { row: 0, col: 0 }, { key: 'ArrowRight' })).toEqual({ row: 0, col: 1 });
    expect(moveInGrid(lengths, { row: 0, col: 2 }, { key: 'ArrowRight' })).toEqual({ row: 0, col: 2 });
    expect(moveInGrid(lengths, { row: 0, col: 0 }, { key: 'ArrowLeft' })).toEqual({ row: 0, col: 0 });
  });

  it('moves between rows with up and down, clamping to a shorter row', () => {
    expect(moveInGrid(lengths, { row: 0, col: 2 }, { key: 'ArrowDown' })).toEqual({ row: 1, col: 0 });
    expect(moveInGrid(lengths, { row: 1, col: 0 }, { key: 'ArrowDown' })).toEqual({ row: 2, col: 0 });
    expect(moveInGrid(lengths, { row: 2, col: 1 }, { key: 'ArrowDown' })).toEqual({ row: 2, col: 1 });
    expect(moveInGrid(lengths, { row: 0, col: 1 }, { key: 'ArrowUp' })).toEqual({ row: 0, col: 1 });
  });

  it('jumps to the ends of the row with Home and End, of the grid with Ctrl', () => {
    expect(moveInGrid(lengths, { row: 0, col: 1 }, { key: 'End' })).toEqual({ row: 0, col: 2 });
    expect(moveInGrid(lengths, { row: 0, col: 1 }, { key: 'Home' })).toEqual({ row: 0, col: 0 });
    expect(moveInGrid(lengths, { row: 0, col: 1 }, { key: 'End', ctrlKey: true })).toEqual({ row: 2, col: 1 });
    expect(moveInGrid(lengths, { row: 2, col: 1 }, { key: 'Home', ctrlKey: true })).toEqual({ row: 0, col: 0 });
  });

  it('ignores other keys and empty grids', () => {
    expect(moveInGrid(lengths, { row: 0, col: 0 }, { key: 'a' })).toBeNull();
    expect(moveInGrid([], { row: 0, col: 0 }, { key: 'ArrowDown' })).toBeNull();
  });

  it('finds a line again after the board changed, or starts at the first cell', () => {
    const rows = boardRows({ units, lines });
    expect(positionOf(rows, 'desk-a')).toEqual({ row: 1, col: 0 });
    expect(positionOf(rows, 'removed')).toEqual({ row: 0, col: 0 });
  });
});
