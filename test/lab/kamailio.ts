/**
 * A real Kamailio for tests: registrar (usrloc in memory) + JSON-RPC over HTTP,
 * listening only on 127.0.0.1 at free ports, with its config and run dir in a temp
 * dir. Spawned `detached` so it leads its own process group: `crash()` kills the whole
 * group (killing only the main PID leaves workers answering OPTIONS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeSipOptions } from '../../src-main/core/telephony/sip-options-probe.ts';
import { KAMAILIO_BIN } from './tools.ts';
import { freePort, waitForPortFree } from './ports.ts';

const MODULES_DIR = process.env.GUARDLINE_KAMAILIO_MODULES ?? '/usr/lib/x86_64-linux-gnu/kamailio/modules/';

export function kamailioConfig(sipPort: number, httpPort: number): string {
  return `#!KAMAILIO
debug=2
log_stderror=yes
children=2
tcp_children=2
listen=udp:127.0.0.1:${sipPort}
listen=tcp:127.0.0.1:${sipPort}
listen=tcp:127.0.0.1:${httpPort}
dns=no
rev_dns=no
dns_try_ipv6=no
use_dns_cache=off
tcp_accept_no_cl=yes
auto_aliases=no
alias="127.0.0.1"

mpath="${MODULES_DIR}"
loadmodule "sl.so"
loadmodule "tm.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "xhttp.so"
loadmodule "jsonrpcs.so"

modparam("jsonrpcs", "transport", 1)
modparam("usrloc", "db_mode", 0)
modparam("registrar", "min_expires", 0)
modparam("registrar", "default_expires", 60)

request_route {
  # SIP that arrives on the HTTP port is not ours to serve.
  if ($Rp == ${httpPort}) { drop; }
  if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
  if (!sanity_check("1511", "7")) { exit; }
  # A special user plays a broken line: the same endpoint answers 503 for it.
  if ($rU == "fault503") { sl_send_reply("503", "Service Unavailable"); exit; }
  if (is_method("REGISTER")) {
    if (!save("location")) { sl_reply_error(); }
    exit;
  }
  if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
  # Never forward anywhere: this lab only answers.
  sl_send_reply("403", "Forbidden");
  exit;
}

event_route[xhttp:request] {
  if ($Rp != ${httpPort}) { xhttp_reply("403", "Forbidden", "text/plain", "wrong port\\n"); exit; }
  if ($hu =~ "^/RPC") { jsonrpc_dispatch(); exit; }
  xhttp_reply("404", "Not Found", "text/plain", "not found\\n");
}
`;
}

export interface KamailioLab {
  readonly sipPort: number;
  readonly httpPort: number;
  readonly rpcUrl: string;
  readonly dir: string;
  /** The running process group id (the leader's pid), or null while stopped. */
  readonly pgid: number | null;
  /** SIGKILL the whole process group, as a crash would, and wait until its ports are free. */
  crash(): Promise<void>;
  /** Start again on the same ports (registrations are gone: they live in memory). */
  restart(): Promise<void>;
  /** Stop and remove the temp dir. */
  dispose(): Promise<void>;
  /** Last lines Kamailio wrote, for failure messages. */
  log(): string;
}

export async function startKamailio(options: { readyTimeoutMs?: number } = {}): Promise<KamailioLab> {
  const dir = mkdtempSync(join(tmpdir(), 'guardline-kamailio-'));
  const sipPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === sipPort) httpPort = await freePort();
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, kamailioConfig(sipPort, httpPort));
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  async function launch(): Promise<void> {
    const proc = spawn(KAMAILIO_BIN, ['-DD', '-E', '-m', '8', '-M', '2', '-Y', dir, '-f', cfg], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await waitReady(proc, options.readyTimeoutMs ?? 10_000);
  }

  async function waitReady(proc: ChildProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`kamailio exited with ${proc.exitCode}:\n${output.slice(-3000)}`);
      const ping = await probeSipOptions(
        { type: 'sip-options', host: '127.0.0.1', port: sipPort, transport: 'udp' },
        { timeoutMs: 300, wallClock: Date.now },
      );
      if (ping.ok && (await httpReady())) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`kamailio not ready after ${timeoutMs} ms:\n${output.slice(-3000)}`);
  }

  async function httpReady(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/health`, { signal: AbortSignal.timeout(500) });
      await res.body?.cancel();
      return res.status === 404;
    } catch {
      return false;
    }
  }

  async function killGroup(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc || proc.pid === undefined) return;
    try {
      process.kill(-proc.pid, signal);
    } catch {
      // already gone
    }
    await exited;
    child = null;
    await waitForPortFree(sipPort);
    await waitForPortFree(httpPort);
  }

  await launch();
  return {
    sipPort,
    httpPort,
    rpcUrl: `http://127.0.0.1:${httpPort}/RPC`,
    dir,
    get pgid() {
      return child?.pid ?? null;
    },
    crash: () => killGroup('SIGKILL'),
    async restart() {
      if (child) await killGroup('SIGKILL');
      await launch();
    },
    async dispose() {
      await killGroup('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => output,
  };
}
