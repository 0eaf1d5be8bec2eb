import { describe, expect, it } from 'vitest';

describe('HQ search text lower-casing', () => {
  it('lower-cases every code point as Swedish rules do, so stored text and queries still match', () => {
    // searchText (projections/incidents.ts) stores toLowerCase(); HQ's search lowers the
    // query with toLocaleLowerCase('sv'). They must agree on every character.
    const differing: number[] = [];
    for (let c = 0; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const s = String.fromCodePoint(c);
      if (s.toLowerCase() !== s.toLocaleLowerCase('sv')) differing.push(c);
    }
    expect(differing).toEqual([]);
    const text = 'ÅSA ÄNGELHOLM ÖSTERÅKER Händelse vid MATSALEN ΟΔΟΣ';
    expect(text.toLowerCase()).toBe(text.toLocaleLowerCase('sv'));
  });
});
