/**
 * The console the store benches drive (store, profile, identity, command tail): a real core on
 * a SQLite file with no escalation policies, so an incident command is measured alone (a
 * threat's escalation steps have benches of their own), and the bench's admin signed in; and
 * the command they time, one durable `incidents.create` through the dispatch.
 */
import { performance } from 'node:perf_hooks';
import { createConsoleCore, type ConsoleCore, type ConsoleCoreConfig } from '../../src-main/core/console-core.ts';
import type { CallResult } from '../../src-shared/transport.ts';
import { incidentInput } from '../support/incidents.ts';

/** Create the bench's first admin (BENCH) through the dispatch, which signs it in. */
export async function signInBenchAdmin(core: ConsoleCore): Promise<void> {
  const signedIn = await core.dispatch(
    'auth.bootstrapAdmin',
    { staffNumber: 'BENCH', name: 'Bench', pin: '2468' },
    { origin: 'test' },
  );
  if (!signedIn.ok) throw new Error(signedIn.error.message);
}

/**
 * A console core on `dataFile` (facility F, unit U, no escalation policies) with the bench's
 * admin signed in. `signing: false` stores events unsigned (the identity bench's "before").
 */
export async function startBenchConsole(
  dataFile: string,
  { signing = true, ...config }: { signing?: boolean } & Partial<ConsoleCoreConfig> = {},
): Promise<ConsoleCore> {
  const core = createConsoleCore({
    dataFile,
    host: 'test',
    appVersion: 'bench',
    facility: 'F',
    unit: 'U',
    escalationPolicies: [],
    ...config,
  });
  if (!signing) core.store.useSigner(null);
  await signInBenchAdmin(core);
  return core;
}

/** One `incidents.create` through the dispatch, as the bench's staff; its result as is. */
export function incidentCommand(core: ConsoleCore, title: string): Promise<CallResult> {
  return core.dispatch('incidents.create', incidentInput({ title }), { actor: 'bench', origin: 'test' });
}

/** The command's wall time in ms (dispatch to its answer); throws if it was refused. */
export async function timedIncidentCommand(core: ConsoleCore, title: string): Promise<number> {
  const t = performance.now();
  const r = await incidentCommand(core, title);
  if (!r.ok) throw new Error(r.error.message);
  return performance.now() - t;
}
