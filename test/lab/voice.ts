/**
 * The voice-path lab: Kamailio as the facility's proxy with digest authentication
 * (`pv_auth_check` against a password in its config, MD5 or SHA-256), optionally
 * anchoring media through rtpengine, in front of sipp playing the echo target with
 * `-rtp_echo`. Everything listens on 127.0.0.1 at free ports; each process leads its
 * own group and is killed as a group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeSipOptions } from '../../src-main/core/telephony/sip-options-probe.ts';
import { KAMAILIO_BIN, SIPP_BIN } from './tools.ts';
import { freePort } from './ports.ts';

const MODULES_DIR = process.env.GUARDLINE_KAMAILIO_MODULES ?? '/usr/lib/x86_64-linux-gnu/kamailio/modules/';
export const RTPENGINE_BIN = process.env.GUARDLINE_RTPENGINE ?? 'rtpengine';
export const LAB_USER = 'guardline-trunk';
export const LAB_PASSWORD = 'lab-secret-17';

export interface VoiceProxyOptions {
  farEndPort: number;
  algorithm: 'MD5' | 'SHA-256';
  /** rtpengine's ng control address (`udp:127.0.0.1:port`): media is anchored through it. */
  rtpengine?: string;
}

export function voiceKamailioConfig(sipPort: number, o: VoiceProxyOptions): string {
  const rtp = o.rtpengine !== undefined;
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=2
listen=udp:127.0.0.1:${sipPort}
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=off
auto_aliases=no
alias="127.0.0.1:${sipPort}"

mpath="${MODULES_DIR}"
loadmodule "sl.so"
loadmodule "tm.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
loadmodule "xlog.so"
loadmodule "auth.so"
${rtp ? 'loadmodule "rtpengine.so"' : ''}
modparam("auth", "algorithm", "${o.algorithm}")
modparam("auth", "secret", "guardline-lab-nonce-secret")
${rtp ? `modparam("rtpengine", "rtpengine_sock", "${o.rtpengine}")` : ''}

request_route {
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (!sanity_check("1511", "7")) { exit; }
  if (is_method("OPTIONS") && uri == myself && $rU == $null) { sl_send_reply("200", "OK"); exit; }
  if (has_totag()) {
    if (loose_route()) {
      ${rtp ? 'if (is_method("BYE")) { rtpengine_delete(); }' : ''}
      t_relay();
      exit;
    }
    if (is_method("ACK") && t_check_trans()) { t_relay(); exit; }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
  if (!is_method("INVITE")) { sl_send_reply("405", "Method Not Allowed"); exit; }
  # The trunk's credentials: realm is the From domain, one user, a password from this file.
  if (!pv_auth_check("$fd", "${LAB_PASSWORD}", "0", "1")) {
    auth_challenge("$fd", "1");
    exit;
  }
  if ($au != "${LAB_USER}") { sl_send_reply("403", "Forbidden"); exit; }
  consume_credentials();
  # A special user plays a broken trunk.
  if ($rU == "fault503") { sl_send_reply("503", "Service Unavailable"); exit; }
  record_route();
  ${rtp ? 'rtpengine_offer("replace-origin replace-session-connection");' : ''}
  ${rtp ? 't_on_reply("FROM_FAR_END");' : ''}
  $du = "sip:127.0.0.1:${o.farEndPort}";
  t_relay();
  exit;
}

${
  rtp
    ? `onreply_route[FROM_FAR_END] {
  if (has_body("application/sdp")) { rtpengine_answer("replace-origin replace-session-connection"); }
}`
    : ''
}
`;
}

/** rtpengine in userspace (no kernel module), control on a free ng port, media ports in a random small range. */
export async function startRtpengine(): Promise<LabService & { ng: string; portMin: number; portMax: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-rtpengine-'));
  const ngPort = await freePort();
  // Other engineers' labs may run rtpengine too: a random 100-port window keeps apart from theirs.
  const min = 30_000 + 2 * Math.floor(Math.random() * 10_000);
  const p = launch(
    RTPENGINE_BIN,
    [
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      '--foreground',
      '--log-stderr',
      '--table=-1',
      `--port-min=${min}`,
      `--port-max=${min + 100}`,
      `--pidfile=${join(dir, 'rtpengine.pid')}`,
    ],
    dir,
  );
  const deadline = Date.now() + 10_000;
  while (!(await ngPing(ngPort))) {
    if (p.proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`rtpengine did not start (exit ${p.proc.exitCode}):\n${p.output().slice(-3000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: ngPort,
    ng: `udp:127.0.0.1:${ngPort}`,
    portMin: min,
    portMax: min + 100,
    log: p.output,
    async dispose() {
      await killGroup(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The ng protocol's ping: `<cookie> d7:command4:pinge` answered with `d6:result4:ponge`. */
async function ngPing(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 300);
      socket.on('message', (m) => {
        clearTimeout(timer);
        resolve(m.toString().includes('pong'));
      });
      socket.on('error', () => {
        clearTimeout(timer);
        resolve(false);
      });
      socket.send('guardline d7:command4:pinge', port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

export function hasRtpengine(): boolean {
  const r = spawnSync(RTPENGINE_BIN, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return r.error === undefined && r.status !== null;
}

interface Proc {
  proc: ChildProcess;
  exited: Promise<void>;
  output: () => string;
}

function launch(cmd: string, args: string[], cwd: string): Proc {
  const proc = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return { proc, exited, output: () => output };
}

async function killGroup(p: Proc): Promise<void> {
  if (p.proc.exitCode === null && p.proc.signalCode === null && p.proc.pid !== undefined) {
    try {
      process.kill(-p.proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await p.exited;
}

export interface LabService {
  readonly port: number;
  log(): string;
  dispose(): Promise<void>;
}

export async function startVoiceProxy(options: VoiceProxyOptions): Promise<LabService> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-voice-kam-'));
  const port = await freePort();
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, voiceKamailioConfig(port, options));
  const p = launch(KAMAILIO_BIN, ['-DD', '-E', '-m', '8', '-M', '2', '-Y', dir, '-f', cfg], dir);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (p.proc.exitCode !== null) throw new Error(`kamailio exited ${p.proc.exitCode}:\n${p.output().slice(-3000)}`);
    const ping = await probeSipOptions(
      { type: 'sip-options', host: '127.0.0.1', port, transport: 'udp' },
      { timeoutMs: 300, wallClock: Date.now },
    );
    if (ping.ok) break;
    if (Date.now() > deadline) throw new Error(`kamailio not ready:\n${p.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    log: p.output,
    async dispose() {
      await killGroup(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How the sipp far end behaves after an INVITE. */
export type FarEndScript =
  | { kind: 'echo'; payloadTypes?: string; sessionProgress?: boolean }
  | { kind: 'hangup'; afterMs: number }
  | { kind: 'reject'; code: number; reason: string }
  | { kind: 'ring' };

const header = (tag: string) => `[last_Via:]
[last_Record-Route:]
[last_From:]
[last_To:];tag=${tag}
[last_Call-ID:]
[last_CSeq:]`;

/** 183 Session Progress with early-media SDP, as carriers send for ringback. */
const progress = (tag: string) => `  <send>
    <![CDATA[
SIP/2.0 183 Session Progress
${header(tag)}
Contact: <sip:echo@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=echo 1 1 IN IP4 127.0.0.1
s=echo
c=IN IP4 127.0.0.1
t=0 0
m=audio [media_advertised] RTP/AVP 0
a=sendonly

    ]]>
  </send>`;

function farEndXml(script: FarEndScript): string {
  const tag = '[pid]echo[call_number]';
  const provisional = `  <send>
    <![CDATA[
SIP/2.0 180 Ringing
${header(tag)}
Contact: <sip:echo@[local_ip]:[local_port]>
Content-Length: 0

    ]]>
  </send>`;
  if (script.kind === 'reject') {
    return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guardline far end reject">
  <recv request="INVITE"/>
  <send>
    <![CDATA[
SIP/2.0 ${script.code} ${script.reason}
${header(tag)}
Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>`;
  }
  if (script.kind === 'ring') {
    return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guardline far end rings forever">
  <recv request="INVITE"/>
${provisional}
  <recv request="CANCEL">
    <action>
      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="cseqnum"/>
    </action>
  </recv>
  <send>
    <![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=${tag}
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

    ]]>
  </send>
  <send>
    <![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=${tag}
[last_Call-ID:]
CSeq: [$cseqnum] INVITE
Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>`;
  }
  const answer = `  <send retrans="500">
    <![CDATA[
SIP/2.0 200 OK
${header(tag)}
Contact: <sip:echo@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

v=0
o=echo 1 1 IN IP4 127.0.0.1
s=echo
c=IN IP4 127.0.0.1
t=0 0
${
  script.kind === 'echo' && script.payloadTypes
    ? `m=audio [media_advertised] RTP/AVP ${script.payloadTypes}`
    : `m=audio [media_advertised] RTP/AVP 0 8
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000`
}
a=sendrecv

    ]]>
  </send>`;
  const ending =
    script.kind === 'echo'
      ? `  <recv request="BYE"/>
  <send>
    <![CDATA[
SIP/2.0 200 OK
${header(tag)}
Content-Length: 0

    ]]>
  </send>`
      : `  <pause milliseconds="${script.afterMs}"/>
  <send retrans="500">
    <![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[routes]
From: [$callee]
To: [$caller]
[last_Call-ID:]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="guardline echo far end">
  <recv request="INVITE" rrs="true"/>
${script.kind === 'echo' && script.sessionProgress ? progress(tag) : ''}
${provisional}
${answer}
${
  script.kind === 'echo'
    ? '  <recv request="ACK"/>'
    : `  <recv request="ACK">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="caller"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="callee"/>
    </action>
  </recv>`
}
${ending}
</scenario>`;
}

/**
 * sipp as the echo target: answers per `script`, echoes RTP on its media port, and
 * advertises `advertisedMediaPort` in its SDP (a relay's port, so the test sits in the path).
 */
export async function startEchoFarEnd(
  script: FarEndScript,
  advertise: (mediaPort: number) => Promise<number> | number = (p) => p,
  calls = 1,
): Promise<LabService & { mediaPort: number; exited(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-voice-sipp-'));
  const file = join(dir, 'far-end.xml');
  writeFileSync(file, farEndXml(script));
  const port = await freePort();
  let mediaPort = await freePort();
  while (mediaPort === port) mediaPort = await freePort();
  const advertised = await advertise(mediaPort);
  const p = launch(
    SIPP_BIN,
    [
      '-sf',
      file,
      '-i',
      '127.0.0.1',
      '-mi',
      '127.0.0.1',
      '-bind_local',
      '-nostdin',
      '-p',
      String(port),
      '-mp',
      String(mediaPort),
      '-rtp_echo',
      '-m',
      String(calls),
      '-timeout',
      '120s',
      '-timeout_error',
      '-key',
      'media_advertised',
      String(advertised),
      '-trace_err',
      '-error_file',
      join(dir, 'errors.log'),
    ],
    dir,
  );
  const deadline = Date.now() + 10_000;
  while (!udpPortBound(port)) {
    if (p.proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`sipp far end did not start (exit ${p.proc.exitCode}):\n${p.output()}\n${errors(dir)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    mediaPort,
    log: () => `${p.output().slice(-2000)}\n${errors(dir)}`,
    exited: () => p.exited,
    async dispose() {
      await killGroup(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function errors(dir: string): string {
  try {
    return readFileSync(join(dir, 'errors.log'), 'utf8').slice(-3000);
  } catch {
    return '(no sipp error log)';
  }
}

function udpPortBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(hex));
}
