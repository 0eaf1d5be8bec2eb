/**
 * sipp playing phones and a carrier trunk on 127.0.0.1. Every run is bound in count
 * (`-m`) and time (`-timeout`), binds only loopback (`-bind_local`), and writes its
 * errors into a temp dir that failure messages quote.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIPP_BIN } from './tools.ts';
import { freePort } from './ports.ts';

const REGISTER_XML = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guardline register">
  <send retrans="500">
    <![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch]
From: <sip:[user]@[remote_ip]>;tag=[pid]reg[call_number]
To: <sip:[user]@[remote_ip]>
Call-ID: [call_id]
CSeq: 1 REGISTER
Contact: <sip:[user]@[local_ip]:[local_port]>
Expires: [expires]
Max-Forwards: 70
Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
`;

const trunkXml = (answer: { code: number; reason: string } | null) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guardline fake trunk">
  <recv request="OPTIONS"/>
${
  answer
    ? `  <send>
    <![CDATA[
SIP/2.0 ${answer.code} ${answer.reason}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]trunk[call_number]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

    ]]>
  </send>`
    : '  <!-- black hole: receive and never answer -->'
}
</scenario>
`;

interface SippRun {
  proc: ChildProcess;
  dir: string;
  exited: Promise<number | null>;
}

function runSipp(scenario: string, args: string[]): SippRun {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-sipp-'));
  const file = join(dir, 'scenario.xml');
  writeFileSync(file, scenario);
  const proc = spawn(
    SIPP_BIN,
    [
      '-sf',
      file,
      '-i',
      '127.0.0.1',
      '-bind_local',
      '-nostdin',
      '-trace_err',
      '-error_file',
      join(dir, 'errors.log'),
      ...args,
    ],
    { stdio: 'ignore', detached: true, cwd: dir },
  );
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, dir, exited };
}

function errors(run: SippRun): string {
  try {
    return readFileSync(join(run.dir, 'errors.log'), 'utf8').slice(-3000);
  } catch {
    return '(no sipp error log)';
  }
}

/**
 * One REGISTER from `localPort` (reuse the port to unregister: Kamailio removes only
 * the contact that matches). Resolves once the registrar said 200.
 */
export async function sippRegister(options: {
  registrarPort: number;
  user: string;
  expires: number;
  localPort: number;
}): Promise<void> {
  const run = runSipp(REGISTER_XML, [
    `127.0.0.1:${options.registrarPort}`,
    '-p',
    String(options.localPort),
    '-m',
    '1',
    '-timeout',
    '10s',
    '-timeout_error',
    '-key',
    'user',
    options.user,
    '-key',
    'expires',
    String(options.expires),
  ]);
  const code = await run.exited;
  const log = errors(run);
  rmSync(run.dir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`sipp REGISTER ${options.user} exited ${code}:\n${log}`);
}

function udpPortBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}

export interface FakeTrunk {
  readonly port: number;
  dispose(): Promise<void>;
}

/** A carrier trunk that answers every OPTIONS with `code`, or (`blackhole`) receives and never answers. */
export async function startFakeTrunk(answer: { code: number; reason: string } | 'blackhole'): Promise<FakeTrunk> {
  const port = await freePort();
  // sipp checks a response's status code when it loads the scenario, so the code is written in, not a -key.
  const run = runSipp(trunkXml(answer === 'blackhole' ? null : answer), [
    '-p',
    String(port),
    '-m',
    '100000',
    '-timeout',
    '300s',
  ]);
  const deadline = Date.now() + 10_000;
  // Ready once sipp holds the port (a black hole cannot be pinged); read /proc so we never race sipp's bind.
  while (!udpPortBound(port)) {
    if (run.proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`sipp fake trunk did not start (exit ${run.proc.exitCode}):\n${errors(run)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    async dispose() {
      if (run.proc.exitCode === null && run.proc.pid !== undefined) {
        try {
          process.kill(-run.proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await run.exited;
      }
      rmSync(run.dir, { recursive: true, force: true });
    },
  };
}
