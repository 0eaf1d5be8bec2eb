import { describe, expect, it } from 'vitest';
import { parseFacilityConfig, validateFacilityConfig } from '../../../src-shared/facility-config.ts';

const FILE = '/etc/guardline/guardline.config.json';
const base = () => ({
  facility: { id: 'marsta', name: 'Märsta' },
  units: [
    { id: 'a', name: 'Avdelning A' },
    { id: 'b', name: 'Avdelning B' },
  ],
  lines: [
    {
      id: 'trunk',
      name: 'Trunk',
      unit: 'a',
      kind: 'trunk',
      criticality: 'critical',
      probe: { type: 'sip-options', host: '127.0.0.1', port: 5060 },
    },
    {
      id: 'desk-a',
      name: 'Desk A',
      unit: 'a',
      kind: 'desk',
      via: 'trunk',
      probe: { type: 'tcp', host: '127.0.0.1', port: 5060 },
    },
    {
      id: 'desk-b',
      name: 'Desk B',
      unit: 'b',
      kind: 'desk',
      probe: { type: 'http', url: 'http://127.0.0.1:8080/health' },
    },
  ],
  reserveProcedure: { sv: 'Använd radio kanal 3', en: 'Use radio channel 3' },
});

function error(value: unknown) {
  const r = validateFacilityConfig(value, FILE);
  if (r.ok) throw new Error('expected a config error');
  return r.error;
}

describe('facility config', () => {
  it('fills in probe defaults and normalises lines', () => {
    const r = validateFacilityConfig(base(), FILE);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.config.probeDefaults).toEqual({
      intervalMs: 5000,
      timeoutMs: 2000,
      downThreshold: 3,
      upThreshold: 2,
      jitterRatio: 0.1,
    });
    expect(r.config.lines[0]!.probe).toEqual({ type: 'sip-options', host: '127.0.0.1', port: 5060, transport: 'udp' });
    expect(r.config.lines[1]!).toMatchObject({ criticality: 'normal', via: 'trunk' });
    expect(r.config.outages.groupingWindowMs).toBe(30_000);
    expect(r.warnings).toEqual([]);
  });

  it('keeps a line with an unknown probe type as a warning naming lines[2].probe.type', () => {
    const cfg = base();
    cfg.lines[2]!.probe = { type: 'sip-foo' } as never;
    const r = validateFacilityConfig(cfg, FILE);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.config.lines[2]!.probe).toBeNull();
    expect(r.warnings).toEqual([
      expect.objectContaining({ file: FILE, path: 'lines[2].probe.type', code: 'config_invalid' }),
    ]);
    expect(r.config.lines[2]!.probeIssue?.path).toBe('lines[2].probe.type');
  });

  it('names the file and JSON path of a wrong field', () => {
    const cfg = base();
    (cfg.lines[1] as Record<string, unknown>).kind = 'fax';
    expect(error(cfg)).toMatchObject({ file: FILE, path: 'lines[1].kind', code: 'config_invalid' });
  });

  it('rejects a line in a unit that does not exist', () => {
    const cfg = base();
    cfg.lines[2]!.unit = 'c';
    expect(error(cfg)).toMatchObject({ path: 'lines[2].unit', message: 'no unit "c" in units' });
  });

  it('rejects via pointing at a line that is not a trunk, and duplicate ids', () => {
    const cfg = base();
    (cfg.lines[2] as Record<string, unknown>).via = 'desk-a';
    expect(error(cfg)).toMatchObject({ path: 'lines[2].via', message: 'line "desk-a" is not a trunk' });
    const dup = base();
    dup.lines[2]!.id = 'desk-a';
    expect(error(dup)).toMatchObject({ path: 'lines[2].id' });
  });

  it('rejects a timeout that is not shorter than the interval', () => {
    expect(error({ ...base(), probeDefaults: { intervalMs: 1000, timeoutMs: 1000 } })).toMatchObject({
      path: 'probeDefaults.timeoutMs',
    });
  });

  it('rejects unknown top-level keys instead of ignoring a typo', () => {
    expect(error({ ...base(), probeDefault: {} })).toMatchObject({ path: '(root)' });
  });

  it('reads comments and trailing commas, and reports syntax errors with line and column', () => {
    const text = `// facility\n{\n  /* block */ "facility": {"id": "x", "name": "X",},\n  "units": [{"id": "a", "name": "A"}],\n  "lines": [],\n  "reserveProcedure": "Radio 3", // plain text\n}\n`;
    const r = parseFacilityConfig(text, FILE);
    expect(r.ok).toBe(true);
    const bad = parseFacilityConfig('{\n  "facility": {\n    "id": "x" "name": "X"\n  }\n}', FILE);
    if (bad.ok) throw new Error('expected a syntax error');
    expect(bad.error).toMatchObject({ code: 'config_syntax', file: FILE, line: 3, column: 15 });
    expect(bad.error.message).toContain('line 3, column 15');
  });

  it('keeps slashes inside strings', () => {
    const text =
      '{"facility": {"id": "x", "name": "http://not-a-comment /* no */"}, "units": [{"id": "a", "name": "A"}], "lines": [], "reserveProcedure": "x"}';
    const r = parseFacilityConfig(text, FILE);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.config.facility.name).toBe('http://not-a-comment /* no */');
  });
});
