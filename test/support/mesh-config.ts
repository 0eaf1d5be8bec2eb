/** Facility config files for mesh tests: no phone lines, the mesh section as given. */
import { writeFileSync, renameSync } from 'node:fs';

export function writeMeshConfig(
  file: string,
  mesh: { listen?: string; peers: string[]; discovery?: boolean },
  facility = 'Märsta',
): void {
  const config = {
    facility: { id: 'marsta', name: facility },
    units: [{ id: 'avd-b', name: 'Avdelning B' }],
    lines: [],
    reserveProcedure: 'Radio kanal 3',
    mesh,
  };
  // Whole-file replace, so the config watcher never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(config, null, 2));
  renameSync(`${file}.tmp`, file);
}

/** `Guardline mesh: 127.0.0.1:port` from a browser host's output. */
export function meshAddressFrom(output: string): string {
  const m = /^Guardline mesh: (\S+)$/m.exec(output);
  if (!m?.[1]) throw new Error(`no mesh address in the host's output:\n${output}`);
  return m[1];
}
