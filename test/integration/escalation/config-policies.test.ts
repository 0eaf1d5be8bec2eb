import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupTestConsoles, enrolStandardRoster, openTestConsole } from '../../support/consoles.ts';
import { incidentInput } from '../../support/incidents.ts';
import { tempDir } from '../../support/temp.ts';
import { parseFacilityConfig } from '../../../src-shared/facility-config.ts';
import { alwaysUp, writeReportConfig } from '../reports/report-lab.ts';

const dir = tempDir('guardline-policy-config-');
afterAll(() => {
  cleanupTestConsoles();
  dir.cleanup();
});

const medicalPolicy = {
  id: 'medical',
  trigger: { categories: ['medical'], severities: ['critical'] },
  levels: [{ targets: [{ kind: 'role', role: 'supervisor', scope: 'facility' }], ackTimeoutMs: 30_000 }],
};

function configWith(policies: unknown): string {
  const file = join(dir.path, `config-${Math.random().toString(36).slice(2)}.json`);
  writeReportConfig(file);
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, escalationPolicies: policies }));
  return file;
}

describe('escalation policies in the facility config', () => {
  it('escalates what the facility config says, instead of the built-in threat policy', async () => {
    const c = openTestConsole({ telephony: { configFile: configWith([medicalPolicy]), runProbe: alwaysUp } });
    await c.core.ready;
    await enrolStandardRoster(c);
    const medical = await c.call<{ id: string }>(
      'incidents.create',
      incidentInput({ category: 'medical', severity: 'critical' }),
    );
    const threat = await c.call<{ id: string }>(
      'incidents.create',
      incidentInput({ category: 'threat', severity: 'critical' }),
    );
    const started = c.events('escalation.started').map((e) => (e.payload as { incidentId: string }).incidentId);
    expect(started).toEqual([medical.id]);
    expect(started).not.toContain(threat.id);
    await c.close();
  });

  it('refuses a broken policy with the file and the JSON path', () => {
    const file = configWith([{ ...medicalPolicy, levels: [] }]);
    const result = parseFacilityConfig(readFileSync(file, 'utf8'), file);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ file, path: 'escalationPolicies[0].levels' });
  });
});
