import { describe, expect, it } from 'vitest';
import { chooseHost, probeElectron } from '../../../scripts/electron-probe.ts';

describe('chooseHost', () => {
  it('starts Electron when the probe found a binary that exists', () => {
    expect(chooseHost({ kind: 'found', binary: '/opt/electron' }, () => true)).toEqual({
      host: 'electron',
      binary: '/opt/electron',
    });
  });

  it('falls back to the browser host with one line when the binary is not installed', () => {
    const choice = chooseHost({ kind: 'failed', detail: 'Error: Electron failed to install correctly' });
    expect(choice).toEqual({
      host: 'web',
      notice: 'Electron is not available on this machine (binary not installed); starting the browser host instead.',
    });
  });

  it('falls back when the probe timed out', () => {
    const choice = chooseHost({ kind: 'timed-out', afterMs: 8000 });
    expect(choice.host).toBe('web');
    expect(choice.host === 'web' && choice.notice).toMatch(/no answer within 8000 ms/);
  });

  it('falls back when the reported binary path does not exist', () => {
    const choice = chooseHost({ kind: 'found', binary: '/nowhere/electron' }, () => false);
    expect(choice.host === 'web' && choice.notice).toMatch(/binary missing at \/nowhere\/electron/);
    expect(choice.host === 'web' && choice.notice.split('\n')).toHaveLength(1);
  });
});

describe('probeElectron on this machine', () => {
  it('reports Electron unavailable, so npm start falls back to the browser host', async () => {
    const probe = await probeElectron();
    expect(probe.kind).not.toBe('found');
    expect(chooseHost(probe).host).toBe('web');
  });
});
