/**
 * A LAN of network namespaces for tests that need multicast (mDNS discovery): loopback has
 * no MULTICAST flag and the machine offers no other network, so each test builds its own.
 * One "switch" namespace holds a bridge; every node is a namespace with a veth `eth0` on it
 * (10.77.0.N/24, multicast on, a route for 224.0.0.0/4). Names carry the test process's pid
 * and a counter, so parallel runs never collide; the interfaces live only inside their
 * namespaces, and deleting the namespaces removes them.
 *
 * Needs root and `ip` (iproute2). A LAN that cannot be built fails the suite with the reason,
 * unless the run opts out with GUARDLINE_SKIP=netns (see components.ts).
 */
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { requireComponent } from './components.ts';

let counter = 0;
/** Namespaces this process made and has not deleted: removed at exit even if a hook timed out. */
const live = new Set<string>();
process.once('exit', () => {
  for (const ns of live) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
});

export interface LanNode {
  ns: string;
  address: string;
}

export interface Lan {
  nodes: Map<string, LanNode>;
  /** Spawn `command args` inside a node's namespace. */
  spawnIn(node: string, command: string, args: string[], options?: SpawnOptions): ChildProcess;
  destroy(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Why a LAN cannot be built here, or null when one can (tries one throwaway namespace). */
function netnsMissing(): string | null {
  const probe = `gl-probe-${process.pid}-${++counter}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `cannot create a network namespace (${stderr || (error as Error).message}); needs root and iproute2`;
  }
}

/** True when the suite should run; false when opted out; throws when namespaces cannot be made. */
export function requireNetns(suite: string): boolean {
  return requireComponent('netns', suite, netnsMissing());
}

export function createLan(names: readonly string[]): Lan {
  const tag = `${process.pid}-${++counter}`;
  const sw = `gl-sw-${tag}`;
  const nodes = new Map<string, LanNode>();
  const made: string[] = [];
  const lan: Lan = {
    nodes,
    spawnIn(node, command, args, options = {}) {
      const n = nodes.get(node);
      if (!n) throw new Error(`no LAN node ${node}`);
      return spawn('ip', ['netns', 'exec', n.ns, command, ...args], options);
    },
    destroy() {
      for (const ns of made.splice(0).reverse()) {
        live.delete(ns);
        try {
          ip('netns', 'del', ns);
        } catch {
          // already gone
        }
      }
    },
  };
  try {
    ip('netns', 'add', sw);
    made.push(sw);
    live.add(sw);
    ip('-n', sw, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    ip('-n', sw, 'link', 'set', 'br0', 'up');
    names.forEach((name, i) => {
      const ns = `gl-${name}-${tag}`.slice(0, 48);
      ip('netns', 'add', ns);
      made.push(ns);
      live.add(ns);
      const port = `p${i}`;
      ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', port, 'netns', sw);
      ip('-n', sw, 'link', 'set', port, 'master', 'br0');
      ip('-n', sw, 'link', 'set', port, 'up');
      const address = `10.77.0.${i + 1}`;
      ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', ns, 'link', 'set', 'eth0', 'multicast', 'on');
      ip('-n', ns, 'link', 'set', 'eth0', 'up');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
      ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
      nodes.set(name, { ns, address });
    });
  } catch (error) {
    lan.destroy();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`building the test LAN failed: ${stderr || (error as Error).message}`, { cause: error });
  }
  return lan;
}
