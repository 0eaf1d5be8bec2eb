/**
 * The facility config the voice tests load: one lab facility whose lines are probed and
 * test-called through the lab's SIP proxy on loopback. One place for the shape, so the
 * integration and e2e voice tests differ only in what they test.
 */
import { writeFileSync } from 'node:fs';

/** A trunk probed by OPTIONS and test-called (echo) through the proxy at `port`. */
export function voiceTrunk(line: {
  id: string;
  name: string;
  unit: string;
  port: number;
  credential: string;
  durationMs: number;
}): Record<string, unknown> {
  return {
    id: line.id,
    name: line.name,
    unit: line.unit,
    kind: 'trunk',
    probe: { type: 'sip-options', host: '127.0.0.1', port: line.port },
    voiceTest: {
      host: '127.0.0.1',
      port: line.port,
      echoUser: 'echo',
      credential: line.credential,
      durationMs: line.durationMs,
      jitterBufferMs: 200,
    },
  };
}

/** Writes the lab facility's config with these units and lines to `file`. */
export function writeVoiceLabConfig(
  file: string,
  units: readonly { id: string; name: string }[],
  lines: readonly Record<string, unknown>[],
): void {
  writeFileSync(
    file,
    JSON.stringify({
      facility: { id: 'lab', name: 'Labbanstalten' },
      units,
      lines,
      probeDefaults: { intervalMs: 5000, timeoutMs: 1000 },
      reserveProcedure: 'Radio kanal 3',
    }),
  );
}
