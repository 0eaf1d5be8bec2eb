/**
 * What signed events cost (issue 12): Ed25519 signing and verification per event, beside
 * the canonicalisation and chain hash every append already paid before signing; and the
 * durable incident command p99 with signing on and off, measured in the same run in
 * alternating blocks (so both see the same disk and the same neighbours), beside the raw
 * fdatasync p99 floor of DESIGN §9 (target: command p99 <= 2x raw fdatasync p99).
 *
 * Author chains (issue 12/16): verification per event by runs (one Ed25519 check per
 * linked run of one author, sha256 links for the rest) beside one check per event, and the
 * tracker's ingest of the same signed events chained vs not chained, in the same run.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  authorHash,
  createKeyring,
  generateDeviceKeyPair,
  signEnvelope,
  verifyAuthoredEvent,
  verifyByRuns,
} from '../../src-common/trust/index.ts';
import { signAsAuthor } from '../support/device-keys.ts';
import type { ConsoleCore } from '../../src-main/core/console-core.ts';
import { canonicalEnvelope } from '../../src-shared/signed-envelope.ts';
import type { EventEnvelope } from '../../src-shared/events.ts';
import { tempDir } from '../support/temp.ts';
import { startBenchConsole, timedIncidentCommand } from './bench-console.ts';
import { offlineBacklog } from './sync/offline-events.ts';
import { barePipe } from './sync/bare-pipe.ts';
import { trackerAlone } from './sync/tracker-alone.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const EVENTS = 20_000;
const BLOCKS = 20;
const PER_BLOCK = 100;
const WARMUP = 100;
/** Events posted to a tracker process, 1,000 per request, signed (as consoles send them). */
const INGEST_EVENTS = 20_000;
const INGEST_ROUNDS = 3;
/** Events per verified batch: the tracker's push size and a peer's largest frame. */
const RUN = 1_000;

function perEventBatchMicros(
  label: string,
  events: readonly EventEnvelope[],
  size: number,
  work: (batch: readonly EventEnvelope[]) => void,
): number {
  work(events.slice(0, size)); // warm up
  const t = performance.now();
  for (let i = 0; i < events.length; i += size) work(events.slice(i, i + size));
  const micros = ((performance.now() - t) * 1000) / events.length;
  progress(label, events.length, events.length);
  return micros;
}

function perEventMicros(label: string, events: readonly EventEnvelope[], work: (e: EventEnvelope) => void): number {
  for (const e of events.slice(0, 500)) work(e); // warm up
  const t = performance.now();
  for (const e of events) work(e);
  const micros = ((performance.now() - t) * 1000) / events.length;
  progress(label, events.length, events.length);
  return micros;
}

const command = (core: ConsoleCore, i: number) => timedIncidentCommand(core, `Bench ${i}`);

export async function identityBench(): Promise<BenchRow[]> {
  const dir = tempDir('guardline-bench-identity-');
  try {
    const pair = generateDeviceKeyPair();
    const privateKey = createPrivateKey(pair.privateKeyPem);
    const { events } = offlineBacklog({
      count: EVENTS,
      deviceId: 'bench-device',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'A-bench',
      startMs: Date.now() - EVENTS,
    });
    const numbered = events.map((e, i) => ({ ...e, deviceSeq: i + 1 }));

    const canonicalUs = perEventMicros('canonicalise', numbered, (e) => void canonicalEnvelope(e));
    let prev = '0'.repeat(64);
    const chainUs = perEventMicros('chain hash', numbered, (e) => {
      prev = createHash('sha256').update(prev).update(canonicalEnvelope(e)).digest('hex');
    });
    const signed: EventEnvelope[] = [];
    const signUs = perEventMicros(
      'sign',
      numbered,
      (e) => void signed.push({ ...e, sig: signEnvelope(e, privateKey) }),
    );
    const keyring = createKeyring([{ deviceId: 'bench-device', publicKey: pair.publicKey, facility: 'Märsta' }]);
    let refused = 0;
    const verifyUs = perEventMicros('verify', signed.slice(0, EVENTS), (e) => {
      if (!verifyAuthoredEvent(e, keyring, { facility: 'Märsta' }).ok) refused += 1;
    });
    if (refused !== 0) throw new Error(`${refused} of ${EVENTS} signed events did not verify`);

    // The same feed chained (prev = author hash of the event before), verified by runs of
    // RUN events as a push or a peer batch delivers them.
    const chained: EventEnvelope[] = [];
    let last: string | null = null;
    for (const e of numbered) {
      const linked = last === null ? e : { ...e, prev: last };
      const event = { ...linked, sig: signEnvelope(linked, privateKey) };
      last = authorHash(event);
      chained.push(event);
    }
    let runChecks = 0;
    const byRunsUs = perEventBatchMicros('verify by runs of 1,000', chained, RUN, (batch) => {
      const r = verifyByRuns(batch, {
        verifyOne: (e) => verifyAuthoredEvent(e, keyring, { facility: 'Märsta' }),
        heldHash: () => null,
      });
      runChecks += r.signatureChecks;
      if (r.verdicts.some((v) => !v.ok)) throw new Error('a chained event did not verify by runs');
    });
    // The run proves its condition: one signature per batch of RUN, not one per event.
    if (runChecks > 2 * Math.ceil(EVENTS / RUN) + 2) throw new Error(`verify by runs checked ${runChecks} signatures`);

    // The tracker verifies every pushed event: its ingest rate with that on, beside the
    // bare HTTP + SQLite pipe moving the same signed events with no checks at all.
    const { events: pushed } = offlineBacklog({
      count: INGEST_EVENTS,
      deviceId: 'bench-ingest',
      facility: 'Märsta',
      unit: 'Avdelning B',
      actor: 'A-bench',
      startMs: Date.now() - INGEST_EVENTS,
      signed: true,
    });
    if (!pushed.slice(1).every((e) => e.prev !== undefined)) throw new Error('the pushed backlog is not chained');
    // The same events signed without prev (as before chains): one signature check each.
    const unchained = pushed.map(({ prev: _prev, sig: _sig, ...e }) => signAsAuthor(e));
    const trackerRates: number[] = [];
    const unchainedRates: number[] = [];
    const pipeRates: number[] = [];
    for (let run = 0; run < INGEST_ROUNDS; run++) {
      trackerRates.push(Math.round(pushed.length / ((await trackerAlone(dir.path, run, pushed)).ms / 1000)));
      unchainedRates.push(
        Math.round(unchained.length / ((await trackerAlone(dir.path, 100 + run, unchained)).ms / 1000)),
      );
      pipeRates.push(Math.round(pushed.length / ((await barePipe(dir.path, run, pushed)).ms / 1000)));
    }
    const trackerRate = percentile(trackerRates, 50);
    const unchainedRate = percentile(unchainedRates, 50);
    const pipeRate = percentile(pipeRates, 50);

    // Floor: raw append + fdatasync, as in the store bench.
    const fd = openSync(join(dir.path, 'raw.log'), 'a');
    const line = Buffer.alloc(300, 'x');
    const raw: number[] = [];
    for (let i = 0; i < BLOCKS * PER_BLOCK + WARMUP; i++) {
      const t = performance.now();
      writeSync(fd, line);
      fdatasyncSync(fd);
      if (i >= WARMUP) raw.push(performance.now() - t);
    }
    closeSync(fd);
    progress('raw fdatasync', raw.length, raw.length);

    const on = await startBenchConsole(join(dir.path, 'signing-on.sqlite'));
    const off = await startBenchConsole(join(dir.path, 'signing-off.sqlite'), { signing: false });
    const withSig: number[] = [];
    const withoutSig: number[] = [];
    try {
      for (let i = 0; i < WARMUP; i++) {
        await command(on, i);
        await command(off, i);
      }
      for (let b = 0; b < BLOCKS; b++) {
        const [first, second] = b % 2 === 0 ? [on, off] : [off, on];
        for (const core of [first, second]) {
          const into = core === on ? withSig : withoutSig;
          for (let i = 0; i < PER_BLOCK; i++) into.push(await command(core, b * PER_BLOCK + i));
        }
        progress('incident command, signing on/off', (b + 1) * PER_BLOCK * 2, BLOCKS * PER_BLOCK * 2);
      }
      const signedStored = on.store.db.prepare('SELECT count(*) AS n FROM events WHERE sig IS NOT NULL').get() as {
        n: number;
      };
      const unsignedStored = off.store.db.prepare('SELECT count(*) AS n FROM events WHERE sig IS NOT NULL').get() as {
        n: number;
      };
      // The run proves its conditions: one store signed every command, the other none.
      if (signedStored.n < BLOCKS * PER_BLOCK || unsignedStored.n !== 0) {
        throw new Error(`signing on stored ${signedStored.n} signed events, signing off ${unsignedStored.n}`);
      }
    } finally {
      await on.close();
      await off.close();
    }

    const rawP99 = round(percentile(raw, 99));
    const onP99 = round(percentile(withSig, 99));
    const offP99 = round(percentile(withoutSig, 99));
    return [
      { metric: 'canonicalise envelope (JCS), per event', value: round(canonicalUs, 1), unit: 'µs' },
      { metric: 'chain hash (JCS + sha256), per event', value: round(chainUs, 1), unit: 'µs' },
      {
        metric: 'sign (JCS + Ed25519), per event',
        value: round(signUs, 1),
        unit: 'µs',
        baseline: { name: 'chain hash per event', value: round(chainUs, 1) },
      },
      {
        metric: 'verify (JCS + Ed25519), per event',
        value: round(verifyUs, 1),
        unit: 'µs',
        baseline: { name: 'chain hash per event', value: round(chainUs, 1) },
      },
      { metric: 'verify throughput, one core', value: Math.round(1e6 / verifyUs), unit: 'events/s' },
      {
        metric: `verify by author runs of ${RUN} (one signature per run, sha256 links), per event`,
        value: round(byRunsUs, 1),
        unit: 'µs',
        baseline: { name: 'verify per event', value: round(verifyUs, 1) },
      },
      { metric: 'verify by runs throughput, one core', value: Math.round(1e6 / byRunsUs), unit: 'events/s' },
      {
        metric: `tracker ingest of ${INGEST_EVENTS} signed events, chained: verified by runs (median of ${INGEST_ROUNDS}: ${trackerRates.join(', ')})`,
        value: trackerRate,
        unit: 'events/s',
        baseline: {
          name: `bare HTTP + SQLite pipe, no checks (median of ${INGEST_ROUNDS}: ${pipeRates.join(', ')})`,
          value: pipeRate,
        },
      },
      {
        metric: `tracker ingest of the same events without prev: every signature verified (median of ${INGEST_ROUNDS}: ${unchainedRates.join(', ')})`,
        value: unchainedRate,
        unit: 'events/s',
        baseline: { name: 'chained, verified by runs', value: trackerRate },
      },
      { metric: 'raw 300 B append + fdatasync p99', value: rawP99, unit: 'ms' },
      { metric: 'durable incident command p50, signing off', value: round(percentile(withoutSig, 50)), unit: 'ms' },
      { metric: 'durable incident command p50, signing on', value: round(percentile(withSig, 50)), unit: 'ms' },
      {
        metric: 'durable incident command p99, signing off',
        value: offP99,
        unit: 'ms',
        baseline: { name: 'raw fdatasync p99', value: rawP99 },
        target: '<= 2x raw fdatasync p99',
        pass: offP99 <= 2 * rawP99,
      },
      {
        metric: 'durable incident command p99, signing on',
        value: onP99,
        unit: 'ms',
        baseline: { name: 'raw fdatasync p99', value: rawP99 },
        target: '<= 2x raw fdatasync p99',
        pass: onP99 <= 2 * rawP99,
      },
    ];
  } finally {
    dir.cleanup();
  }
}
