/**
 * DNS-SD/mDNS discovery of the facility's consoles (issue 12, item 2b), with
 * `bonjour-service` (announce + browse, on `multicast-dns`). `@homebridge/ciao` only
 * advertises (no browser) and bare `multicast-dns` would mean writing DNS-SD record
 * handling by hand; bonjour-service does both halves and is kept up.
 *
 * Discovery only supplies addresses. A discovered console is dialled only when the
 * device id and key fingerprint it announces belong to a device this facility already
 * trusts (keyring: enrolment, pairing, the log); everything else is counted and ignored,
 * and the TLS session checks the key again anyway. Untrusted multicast is guarded:
 *
 * - the browser keeps only services whose TXT names our facility (bonjour's TXT filter);
 * - an answer must parse (device id, fingerprint, port) or it is refused;
 * - the address dialled is the one the answer came from (the packet's source), never an
 *   address the answer names, so a forged answer cannot point this console at a third host;
 * - a token bucket bounds how many answers per second are looked at;
 * - consoles heard whose key is not (yet) trusted wait in a bounded cache (least recently
 *   seen goes first); trusted ones are kept apart (at most a few addresses per device), so
 *   a flood of strangers can never push a real peer out and drop its session; the
 *   library's own service list is rebuilt when it grows past the same bound.
 *
 * Why multicast "did not work here" before: multicast-dns binds its UDP socket to the
 * `interface` address unless `bind` is given. A socket bound to a unicast address
 * (127.0.0.1, or the mesh's LAN address) never receives datagrams sent to 224.0.0.251, so
 * each console announced and heard nothing. We pass the interface for sending and
 * membership and bind the socket to 0.0.0.0.
 */
import { Bonjour, type Browser, type Service, type ServiceConfig } from 'bonjour-service';

export const SERVICE_TYPE = 'guardline';
/** TXT keys: protocol version, facility, device id, key fingerprint. */
const TXT_VERSION = '1';

export interface DiscoveryLimits {
  /** Discovered consoles kept (least recently seen dropped beyond this). */
  maxCached: number;
  /** Announcements looked at per second (burst = twice this). */
  answersPerSecond: number;
  /** Re-ask the LAN who is there this often. */
  queryEveryMs: number;
}

/** Addresses kept per trusted device (a console with two LAN interfaces, a forged answer). */
const ADDRESSES_PER_DEVICE = 4;

const DEFAULT_LIMITS: DiscoveryLimits = { maxCached: 128, answersPerSecond: 50, queryEveryMs: 30_000 };

export interface DiscoveryDeps {
  /** The listener's bound host (its interface carries the multicast) and port (announced). */
  host: string;
  port: number;
  facility: string;
  deviceId: string;
  fingerprint: string;
  /** True when `deviceId` with this key fingerprint is a device of our facility we trust. */
  trusted(deviceId: string, fingerprint: string): boolean;
  /** The set of dialable addresses changed. */
  onChange(): void;
  log(message: string): void;
  limits?: Partial<DiscoveryLimits>;
}

export interface DiscoveredPeer {
  deviceId: string;
  fingerprint: string;
  address: string;
  seenAt: number;
}

export interface DiscoveryStats {
  /** Consoles of our facility heard: trusted ones plus strangers (bounded by `maxCached`). */
  cached: number;
  /** Of those, the ones this console dials. */
  dialable: number;
  /** Answers refused: garbage, other facility, own echo, over the rate. */
  refused: number;
  /** Answers dropped by the rate limit (part of `refused`). */
  rateLimited: number;
}

export interface Discovery {
  /** `host:port` of discovered consoles whose key this facility already trusts. */
  addresses(): string[];
  peers(): DiscoveredPeer[];
  stats(): DiscoveryStats;
  /** Keys may have become known (a device record arrived): re-evaluate what is dialable. */
  recheck(): void;
  stop(): Promise<void>;
}

const DEVICE_ID = /^[A-Za-z0-9-]{1,64}$/;
const FINGERPRINT = /^[A-Za-z0-9_-]{8,64}$/;

/** The announcement's TXT as ours or null (pure: the screening rule is tested alone). */
export function readAnnouncement(
  txt: unknown,
  facility: string,
): { deviceId: string; fingerprint: string } | { refused: string } {
  if (typeof txt !== 'object' || txt === null) return { refused: 'no TXT record' };
  const t = txt as Record<string, unknown>;
  const text = (k: string) => (typeof t[k] === 'string' ? t[k] : Buffer.isBuffer(t[k]) ? t[k].toString('utf8') : null);
  if (text('v') !== TXT_VERSION) return { refused: `TXT v is not ${TXT_VERSION}` };
  if (text('f') !== facility) return { refused: 'another facility' };
  const deviceId = text('d');
  const fingerprint = text('k');
  if (!deviceId || !DEVICE_ID.test(deviceId)) return { refused: 'TXT d is not a device id' };
  if (!fingerprint || !FINGERPRINT.test(fingerprint)) return { refused: 'TXT k is not a key fingerprint' };
  return { deviceId, fingerprint };
}

/** `host:port` for dialling (IPv6 in brackets). */
function joinAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function startDiscovery(deps: DiscoveryDeps): Discovery {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const specificV4 = /^\d+\.\d+\.\d+\.\d+$/.test(deps.host) && deps.host !== '0.0.0.0';
  const bonjour = new Bonjour(
    // interface: send and join on the listener's interface; bind: 0.0.0.0 so the socket
    // receives datagrams addressed to the multicast group (see the header).
    // (bonjour-service passes these options on to multicast-dns; its type names only its own.)
    (specificV4 ? { interface: deps.host, bind: '0.0.0.0' } : {}) as Partial<ServiceConfig>,
    (error: Error) => deps.log(`mesh discovery: ${error.message}`),
  );
  /** Heard, key not trusted (yet): bounded, least recently seen dropped first. */
  const strangers = new Map<string, DiscoveredPeer>();
  /** Heard and trusted: what we dial. Keyed like strangers; at most ADDRESSES_PER_DEVICE each. */
  const known = new Map<string, DiscoveredPeer>();
  let refused = 0;
  let rateLimited = 0;
  let tokens = limits.answersPerSecond * 2;
  let refilledAt = performance.now();
  let stopped = false;
  /** One log line per refusal reason per minute: a flood must not flood the log either. */
  const lastLogged = new Map<string, number>();

  // multicast-dns emits 'error' (port taken, no permission) on its emitter: unhandled, that
  // would end the console. Garbage datagrams arrive as 'warning' (undecodable packet).
  const mdns = (bonjour as unknown as { server: { mdns: NodeJS.EventEmitter } }).server.mdns;
  mdns.on('error', (error: Error) => deps.log(`mesh discovery: multicast socket: ${error.message}`));
  mdns.on('warning', () => note('an undecodable mDNS packet or a socket warning'));

  function note(reason: string): void {
    refused += 1;
    const now = performance.now();
    if ((lastLogged.get(reason) ?? -Infinity) + 60_000 > now) return;
    if (lastLogged.size > 32) lastLogged.clear();
    lastLogged.set(reason, now);
    deps.log(`mesh discovery: ignored an announcement: ${reason}`);
  }

  function takeToken(): boolean {
    const now = performance.now();
    tokens = Math.min(limits.answersPerSecond * 2, tokens + ((now - refilledAt) / 1000) * limits.answersPerSecond);
    refilledAt = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  }

  /** Move entries between strangers and known as keys become (un)trusted; true when known changed. */
  function evaluate(): boolean {
    let changed = false;
    for (const [key, p] of strangers) {
      if (!deps.trusted(p.deviceId, p.fingerprint)) continue;
      strangers.delete(key);
      remember(key, p);
      changed = true;
    }
    for (const [key, p] of known) {
      if (deps.trusted(p.deviceId, p.fingerprint)) continue;
      known.delete(key);
      changed = true;
    }
    return changed;
  }

  /** A trusted device keeps its most recently heard addresses only. */
  function remember(key: string, peer: DiscoveredPeer): void {
    known.delete(key);
    known.set(key, peer);
    const mine = [...known].filter(([, p]) => p.deviceId === peer.deviceId);
    for (const [k] of mine.slice(0, Math.max(0, mine.length - ADDRESSES_PER_DEVICE))) known.delete(k);
  }

  function heard(service: Service): void {
    if (stopped) return;
    if (browser.services.length > limits.maxCached) setImmediate(boundLibraryCache);
    if (!takeToken()) {
      rateLimited += 1;
      return note('more announcements per second than the limit');
    }
    const read = readAnnouncement(service.txt, deps.facility);
    if ('refused' in read) return note(read.refused);
    if (read.deviceId === deps.deviceId) return; // our own announcement, looped back
    const source = service.referer?.address;
    const port = service.port;
    if (!source || !Number.isInteger(port) || port < 1 || port > 65535) return note('no source address or port');
    const address = joinAddress(source, port);
    // Keyed by device and address: a forged answer naming a known device adds an address
    // (whose TLS handshake will fail) but never displaces the device's real one.
    const key = `${read.deviceId}@${address}`;
    const peer = { ...read, address, seenAt: Date.now() };
    if (deps.trusted(read.deviceId, read.fingerprint)) {
      const isNew = !known.has(key);
      remember(key, peer);
      if (isNew) deps.onChange();
      return;
    }
    strangers.delete(key);
    strangers.set(key, peer);
    while (strangers.size > limits.maxCached) strangers.delete(strangers.keys().next().value!);
    note(`device ${read.deviceId} is not known to this facility`);
  }

  const announced = bonjour.publish({
    name: `guardline-${deps.deviceId}`.slice(0, 63),
    type: SERVICE_TYPE,
    port: deps.port,
    // Unique by device id; probing would let any host on the LAN hold our name hostage.
    probe: false,
    disableIPv6: true,
    txt: { v: TXT_VERSION, f: deps.facility, d: deps.deviceId, k: deps.fingerprint },
  });
  announced.on('error', (error: Error) => deps.log(`mesh discovery: announcing failed: ${error.message}`));

  let browser: Browser = browse();
  function browse(): Browser {
    const b = bonjour.find({ type: SERVICE_TYPE, txt: { f: deps.facility } });
    b.on('up', heard);
    b.on('srv-update', heard);
    b.on('txt-update', heard);
    return b;
  }
  /** The library keeps every service it heard of our facility: rebuild it past our bound. */
  function boundLibraryCache(): boolean {
    if (browser.services.length <= limits.maxCached) return false;
    browser.stop();
    browser.removeAllListeners();
    browser = browse();
    return true;
  }
  const requery = setInterval(() => {
    if (boundLibraryCache()) return;
    // Services the rate limit dropped are still in the library's list: look again.
    for (const service of browser.services) heard(service);
    browser.update();
  }, limits.queryEveryMs);
  requery.unref();

  return {
    addresses: () => [...new Set([...known.values()].map((p) => p.address))],
    peers: () => [...known.values(), ...strangers.values()],
    stats: () => ({ cached: known.size + strangers.size, dialable: known.size, refused, rateLimited }),
    recheck() {
      if (evaluate()) deps.onChange();
    },
    stop() {
      if (stopped) return Promise.resolve();
      stopped = true;
      clearInterval(requery);
      browser.stop();
      // Goodbye packets first; a socket that cannot send must not hold shutdown.
      return new Promise((resolve) => {
        const fallback = setTimeout(() => bonjour.destroy(() => resolve()), 1_000);
        bonjour.unpublishAll(() => {
          clearTimeout(fallback);
          bonjour.destroy(() => resolve());
        });
      });
    },
  };
}
