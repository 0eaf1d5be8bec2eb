/**
 * Telephony: (1) detection latency of a failed line, from the failure to the DOWN push
 * and to the open outage, over 20 trials per failure kind with a 1 s probe interval,
 * next to the bound from DESIGN.md (interval × downThreshold + timeout + 1 s), against
 * real loopback endpoints (the demo SIP responder: a closed port answers with an ICMP
 * refusal, a black hole never answers, so each probe times out); (2) probe cost: 200
 * lines probed every 5 s against responders in another process for ~30 s, as CPU % of
 * the console process (user + system CPU time / wall time), beside the same console
 * with no lines over the same span.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createConsoleCore, type ConsoleCore } from '../../src-main/core/console-core.ts';
import {
  detectionBoundMs,
  runProbe,
  startDemoResponder,
  type ProbeRunner,
} from '../../src-main/core/telephony/index.ts';
import type { DemoFault } from '../../src-shared/telephony.ts';
import { tempDir } from '../support/temp.ts';
import { openOutageFor, waitFor, waitForLineState, measureDetection } from '../lab/line-watch.ts';
import { costFacilityConfig } from './telephony/cost-lines.ts';
import { percentile, progress, round, type BenchRow } from './report.ts';

const TRIALS = 20;
const DETECTION = { intervalMs: 1000, timeoutMs: 500, downThreshold: 3, upThreshold: 2, jitterRatio: 0.1 };
const COST_LINES = 200;
const COST_INTERVAL_MS = 5000;
const COST_WINDOW_MS = 30_000;
const WAIT_MS = 20_000;

function openCore(dataDir: string, configFile: string | null): ConsoleCore {
  return createConsoleCore({
    dataFile: join(dataDir, 'console.sqlite'),
    host: 'test',
    appVersion: '0.0.0-bench',
    facility: 'Bänkanstalten',
    unit: 'Avdelning 0',
    sync: { start: false },
    telephony: configFile ? { configFile } : {},
  });
}

/** One critical line against an in-process demo endpoint; the failure is injected through it. */
async function detectionTrials(dir: string, fault: Exclude<DemoFault, 'none'>) {
  const responder = await startDemoResponder([{ lineId: 'emergency', transport: 'udp', via: null }]);
  const configFile = join(dir, `detection-${fault}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      facility: { id: 'bench', name: 'Bänkanstalten' },
      units: [{ id: 'central', name: 'Centralvakten' }],
      lines: [
        {
          id: 'emergency',
          name: 'Larmlinje',
          unit: 'central',
          kind: 'emergency',
          criticality: 'critical',
          probe: { type: 'sip-options', host: '127.0.0.1', port: responder.port('emergency'), ruriUser: 'emergency' },
        },
      ],
      probeDefaults: DETECTION,
      reserveProcedure: 'Radio kanal 3',
    }),
  );
  const dataDir = join(dir, `detection-${fault}`);
  const core = openCore(dataDir, configFile);
  const down: number[] = [];
  const outage: number[] = [];
  try {
    await core.ready;
    for (let i = 0; i < TRIALS; i++) {
      await waitForLineState(core, 'emergency', 'UP', WAIT_MS);
      await waitFor(core, 'no open outage', () => (openOutageFor(core, 'emergency') ? null : true), WAIT_MS);
      // Fail at a random moment of the probe cycle, not always right after a probe.
      await new Promise((r) => setTimeout(r, Math.random() * DETECTION.intervalMs));
      const sample = await measureDetection(core, {
        lineId: 'emergency',
        fail: () => responder.setFault('emergency', fault),
        timeoutMs: WAIT_MS,
        expectOutage: true,
      });
      down.push(sample.downMs);
      outage.push(sample.outageMs!);
      await responder.setFault('emergency', 'none');
      progress(`detection (${fault})`, i + 1, TRIALS);
    }
  } finally {
    await core.close();
    await responder.close();
  }
  return { down, outage };
}

function detectionRows(label: string, samples: { down: number[]; outage: number[] }): BenchRow[] {
  const bound = detectionBoundMs(DETECTION);
  const maxDown = Math.max(...samples.down);
  const maxOutage = Math.max(...samples.outage);
  return [
    { metric: `${label}: failure → DOWN p50`, value: round(percentile(samples.down, 50), 0), unit: 'ms' },
    {
      metric: `${label}: failure → DOWN max of ${samples.down.length}`,
      value: round(maxDown, 0),
      unit: 'ms',
      baseline: { name: 'bound', value: bound },
      target: `every trial ≤ ${bound} ms (1 s × 3 + 500 ms + 1 s)`,
      pass: maxDown <= bound,
    },
    { metric: `${label}: failure → outage opened p50`, value: round(percentile(samples.outage, 50), 0), unit: 'ms' },
    {
      metric: `${label}: failure → outage opened max of ${samples.outage.length}`,
      value: round(maxOutage, 0),
      unit: 'ms',
      baseline: { name: 'bound', value: bound },
      target: `every trial ≤ ${bound} ms`,
      pass: maxOutage <= bound,
    },
  ];
}

/** CPU share of this process over `windowMs`: user + system CPU time over wall time. */
async function cpuShare(windowMs: number): Promise<number> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  return ((cpu.user + cpu.system) / 1000 / wall) * 100;
}

export async function startResponderChild(lines: number) {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'telephony', 'responder-child.ts'), String(lines)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error('responder child did not start in 20 s')), 20_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      rl.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`responder child exited (${code})`)));
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    ports: (JSON.parse(first) as { ports: Record<string, number> }).ports,
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function probeCost(dir: string): Promise<BenchRow[]> {
  // Baseline: the same console, telephony off, over a third of the window.
  const idle = openCore(join(dir, 'idle'), null);
  await idle.ready;
  const idleCpu = await cpuShare(COST_WINDOW_MS); // the same window as the loaded figure
  await idle.close();

  const responders = await startResponderChild(COST_LINES);
  const configFile = join(dir, 'cost.json');
  writeFileSync(configFile, JSON.stringify(costFacilityConfig(responders.ports, COST_INTERVAL_MS)));
  let probes = 0;
  const counting: ProbeRunner = (spec, ctx) => {
    probes++;
    return runProbe(spec, ctx);
  };
  const core = createConsoleCore({
    dataFile: join(dir, 'cost', 'console.sqlite'),
    host: 'test',
    appVersion: '0.0.0-bench',
    facility: 'Bänkanstalten',
    unit: 'Avdelning 0',
    sync: { start: false },
    telephony: { configFile, runProbe: counting },
  });
  try {
    await core.ready;
    // Steady state: every line measured UP before the window starts.
    await waitFor(
      core,
      `all ${COST_LINES} lines UP`,
      () => (core.telephony.board().lines.every((l) => l.state === 'UP') ? true : null),
      COST_INTERVAL_MS * 4,
    );
    const before = probes;
    const cpu = await cpuShare(COST_WINDOW_MS);
    const probed = probes - before;
    const up = core.telephony.board().lines.filter((l) => l.state === 'UP').length;
    return [
      { metric: 'idle console (no lines): CPU', value: round(idleCpu, 2), unit: '%' },
      {
        metric: `${COST_LINES} lines every ${COST_INTERVAL_MS / 1000} s: monitor CPU`,
        value: round(cpu, 2),
        unit: '%',
        baseline: { name: 'idle console', value: round(idleCpu, 2) },
      },
      { metric: 'probes in the window', value: probed, unit: `probes / ${COST_WINDOW_MS / 1000} s` },
      { metric: 'lines still UP after the window', value: up, unit: `of ${COST_LINES}` },
      {
        metric: 'CPU per probe',
        value: round(((cpu - idleCpu) / 100) * (COST_WINDOW_MS / probed) * 1000, 0),
        unit: 'µs',
      },
    ];
  } finally {
    await core.close();
    await responders.stop();
  }
}

export async function telephonyBench(): Promise<BenchRow[]> {
  const dir = tempDir('guardline-bench-telephony-');
  try {
    const crash = await detectionTrials(dir.path, 'down');
    const blackhole = await detectionTrials(dir.path, 'blackhole');
    const cost = await probeCost(dir.path);
    return [
      ...detectionRows('port closed (ICMP refused)', crash),
      ...detectionRows('black hole (timeouts)', blackhole),
      ...cost,
    ];
  } finally {
    dir.cleanup();
  }
}
