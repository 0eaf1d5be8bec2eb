/**
 * The facility config (`guardline.config.json`): which phone lines matter, how to
 * probe them, and what staff do when they fail. Validated here, in pure code, so the
 * console, the tracker and a settings page all read it the same way.
 *
 * A line whose probe spec is wrong (say an unknown probe type) does not reject the
 * whole file: the line stays on the board as UNKNOWN with the reason, and every other
 * line keeps being monitored. Anything else that is wrong rejects the file, naming the
 * JSON path, so the last good config stays in force.
 */
import { z } from 'zod';
import { EscalationPolicies, type EscalationPolicy } from './escalation.ts';
import { parseJsonc } from './jsonc.ts';

export const LINE_KINDS = ['desk', 'trunk', 'emergency', 'intercom'] as const;
export const LINE_CRITICALITIES = ['normal', 'critical'] as const;
export const PROBE_TYPES = ['sip-options', 'sip-registration', 'http', 'tcp'] as const;
export type ProbeType = (typeof PROBE_TYPES)[number];

const Id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
  error: 'must be 1-64 letters, digits or . _ : - (starting with a letter or digit)',
});
const Name = z.string().trim().min(1, { error: 'required' }).max(120, { error: 'at most 120 characters' });
// Host names and IP literals only: no schemes, paths or whitespace that could smuggle a different target.
const Host = z
  .string()
  .min(1, { error: 'required' })
  .max(253)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, {
    error: 'must be a host name or an IP address',
  });
const Port = z.number().int({ error: 'must be a whole number' }).min(1).max(65535);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

export const SipOptionsProbeSpec = z
  .object({
    type: z.literal('sip-options'),
    host: Host,
    port: Port.default(5060),
    transport: z.enum(['udp', 'tcp']).default('udp'),
    /** User part of the Request-URI (`sip:<ruriUser>@host`); omitted pings the server itself. */
    ruriUser: z
      .string()
      .regex(/^[A-Za-z0-9_.!~*'()&=+$,;?/-]{1,64}$/, { error: 'must be a SIP user part (no spaces or @)' })
      .optional(),
  })
  .strict();

export const KamailioRegistrar = z.object({ provider: z.literal('kamailio-jsonrpc'), url: HttpUrl }).strict();
export const Registrar = z.discriminatedUnion('provider', [KamailioRegistrar]);

export const SipRegistrationProbeSpec = z
  .object({
    type: z.literal('sip-registration'),
    registrar: Registrar,
    /** Address of record, e.g. `alice` or `alice@pbx.example`. */
    aor: z.string().regex(/^[^\s"<>]{1,128}$/, { error: 'must be an address of record without spaces' }),
  })
  .strict();

export const HttpProbeSpec = z
  .object({
    type: z.literal('http'),
    url: HttpUrl,
    /** Status that counts as reachable; any 2xx when omitted. */
    expectStatus: z.number().int().min(100).max(599).optional(),
  })
  .strict();

export const TcpProbeSpec = z.object({ type: z.literal('tcp'), host: Host, port: Port }).strict();

export const ProbeSpec = z.discriminatedUnion('type', [
  SipOptionsProbeSpec,
  SipRegistrationProbeSpec,
  HttpProbeSpec,
  TcpProbeSpec,
]);
export type ProbeSpec = z.infer<typeof ProbeSpec>;
export type SipOptionsProbeSpec = z.infer<typeof SipOptionsProbeSpec>;
export type SipRegistrationProbeSpec = z.infer<typeof SipRegistrationProbeSpec>;
export type HttpProbeSpec = z.infer<typeof HttpProbeSpec>;
export type TcpProbeSpec = z.infer<typeof TcpProbeSpec>;

/**
 * A line's synthetic test call (issue 17): an echo target, the credential's name in the
 * console's credential store (the password never sits in this file), and a schedule
 * that is off unless turned on. Calls never run more often than once a minute.
 */
export const VoiceTestSpec = z
  .object({
    host: Host,
    port: Port.default(5060),
    /** User part of the echo target, e.g. `echo` or the PBX's echo-test extension. */
    echoUser: z.string().regex(/^[A-Za-z0-9_.!~*'()&=+$,;?/-]{1,64}$/, { error: 'must be a SIP user part' }),
    /** Domain in the Request-URI and From (the host when omitted). */
    domain: Host.optional(),
    /** Name of the entry in the credential store; omitted: the target needs no authentication. */
    credential: Id.optional(),
    codec: z.enum(['PCMU', 'PCMA']).default('PCMU'),
    durationMs: z.number().int().min(1000).max(30_000).default(4000),
    answerTimeoutMs: z.number().int().min(1000).max(60_000).default(15_000),
    mosFloor: z.number().min(1).max(4.5).default(3.6),
    jitterBufferMs: z.number().int().min(0).max(500).default(60),
    schedule: z
      .object({
        enabled: z.boolean().default(false),
        intervalMinutes: z.number().min(1, { error: 'test calls run at most once a minute' }).max(1440).default(15),
      })
      .strict()
      .default({ enabled: false, intervalMinutes: 15 }),
  })
  .strict();
export type VoiceTestSpec = z.infer<typeof VoiceTestSpec>;

const VoiceTestField = z.preprocess((value, ctx) => {
  if (value && typeof value === 'object' && ('password' in value || 'secret' in value)) {
    ctx.addIssue({
      code: 'custom',
      path: ['password' in value ? 'password' : 'secret'],
      message: 'passwords are not kept in the config file: name a credential and store it on the console',
    });
    return z.NEVER;
  }
  return value;
}, VoiceTestSpec);

export const ProbeDefaults = z
  .object({
    intervalMs: z.number().int().min(200).max(3_600_000).default(5000),
    timeoutMs: z.number().int().min(50).max(60_000).default(2000),
    /** Consecutive failed probes before a line goes DOWN. */
    downThreshold: z.number().int().min(1).max(20).default(3),
    /** Consecutive good probes before a line comes back UP. */
    upThreshold: z.number().int().min(1).max(20).default(2),
    /** Each wait is shortened by up to this share, so probes spread out but never exceed the interval. */
    jitterRatio: z.number().min(0).max(0.5).default(0.1),
  })
  .strict()
  .refine((d) => d.timeoutMs < d.intervalMs, {
    error: 'timeoutMs must be shorter than intervalMs',
    path: ['timeoutMs'],
  });
export type ProbeDefaults = z.infer<typeof ProbeDefaults>;

/** Plain text, or one text per language (`sv`, `en`). */
export const ReserveProcedure = z.union([
  z.string().trim().min(1).max(4000),
  z
    .object({ sv: z.string().trim().min(1).max(4000).optional(), en: z.string().trim().min(1).max(4000).optional() })
    .strict()
    .refine((r) => r.sv !== undefined || r.en !== undefined, { error: 'give at least one of sv, en' }),
]);
export type ReserveProcedure = z.infer<typeof ReserveProcedure>;

/** `host:port` of a console on the LAN (IPv6 in brackets). */
export const PeerAddress = z
  .string()
  .trim()
  .max(300)
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):\d{1,5}$/, {
    error: 'must be host:port (an IPv6 address in brackets)',
  })
  .refine(
    (a) => {
      const port = Number(a.slice(a.lastIndexOf(':') + 1));
      return port >= 0 && port <= 65535;
    },
    { error: 'port must be 0-65535' },
  );

/**
 * The facility mesh (DESIGN §10): where this console listens for its peers and which
 * addresses it dials. Absent: no listener (the demo facility never opens one).
 */
export const MeshConfig = z
  .object({
    /** The LAN interface and port to listen on; the launch option --mesh-listen wins. */
    listen: PeerAddress.optional(),
    /** Consoles of the facility to dial (this console's own address may be listed: it is skipped). */
    peers: z.array(PeerAddress).max(64).default([]),
    /**
     * Announce this console and find the facility's others by DNS-SD/mDNS on the listener's
     * LAN. Default: on while a listener is open on a LAN address (off on loopback and for the
     * demo facility). Discovered consoles are dialled only when their key is already trusted.
     */
    discovery: z.boolean().optional(),
  })
  .strict();
export type MeshConfig = z.infer<typeof MeshConfig>;

const LineShape = z
  .object({
    id: Id,
    name: Name,
    unit: Id,
    kind: z.enum(LINE_KINDS),
    criticality: z.enum(LINE_CRITICALITIES).default('normal'),
    /** Checked on its own: a bad probe makes only this line UNKNOWN. */
    probe: z.unknown(),
    /** The trunk line this line's calls go through; lines behind one trunk share one outage. */
    via: Id.optional(),
    voiceTest: VoiceTestField.optional(),
  })
  .strict();

const FileShape = z
  .object({
    $schema: z.string().optional(),
    facility: z.object({ id: Id, name: Name }).strict(),
    units: z
      .array(z.object({ id: Id, name: Name }).strict())
      .min(1)
      .max(200),
    lines: z.array(LineShape).max(2000),
    probeDefaults: ProbeDefaults.default(ProbeDefaults.parse({})),
    outages: z
      .object({ groupingWindowMs: z.number().int().min(0).max(600_000).default(30_000) })
      .strict()
      .default({ groupingWindowMs: 30_000 }),
    reserveProcedure: ReserveProcedure,
    /** Who is alarmed, in what order, for which incidents; absent: the built-in default. */
    escalationPolicies: EscalationPolicies.optional(),
    mesh: MeshConfig.optional(),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const unitIds = new Set<string>();
    cfg.units.forEach((u, i) => {
      if (unitIds.has(u.id))
        ctx.addIssue({ code: 'custom', path: ['units', i, 'id'], message: `duplicate unit id "${u.id}"` });
      unitIds.add(u.id);
    });
    const lineKinds = new Map<string, string>();
    cfg.lines.forEach((l, i) => {
      if (lineKinds.has(l.id))
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'id'], message: `duplicate line id "${l.id}"` });
      lineKinds.set(l.id, l.kind);
      if (!unitIds.has(l.unit))
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'unit'], message: `no unit "${l.unit}" in units` });
    });
    cfg.lines.forEach((l, i) => {
      if (l.via === undefined) return;
      const kind = lineKinds.get(l.via);
      if (l.via === l.id)
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'via'], message: 'a line cannot go via itself' });
      else if (kind === undefined)
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'via'], message: `no line "${l.via}"` });
      else if (kind !== 'trunk')
        ctx.addIssue({ code: 'custom', path: ['lines', i, 'via'], message: `line "${l.via}" is not a trunk` });
    });
  });

/** A problem in the config file, naming where it is. */
export interface ConfigIssue {
  code: 'config_not_found' | 'config_unreadable' | 'config_syntax' | 'config_invalid';
  file: string;
  /** JSON path such as `lines[2].probe.type`, or `(root)`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}
export const ConfigIssueSchema = z.object({
  code: z.enum(['config_not_found', 'config_unreadable', 'config_syntax', 'config_invalid']),
  file: z.string(),
  path: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export interface LineConfig {
  id: string;
  name: string;
  unit: string;
  kind: (typeof LINE_KINDS)[number];
  criticality: (typeof LINE_CRITICALITIES)[number];
  via: string | null;
  /** null when the spec was invalid; `probeIssue` says why. */
  probe: ProbeSpec | null;
  probeIssue: ConfigIssue | null;
  /** The line's synthetic test call, when it has one. */
  voiceTest?: VoiceTestSpec | null;
}

export interface FacilityConfig {
  facility: { id: string; name: string };
  units: { id: string; name: string }[];
  lines: LineConfig[];
  probeDefaults: ProbeDefaults;
  outages: { groupingWindowMs: number };
  reserveProcedure: ReserveProcedure;
  escalationPolicies: EscalationPolicy[] | null;
  mesh: MeshConfig | null;
}

export type ConfigParseResult =
  { ok: true; config: FacilityConfig; warnings: ConfigIssue[] } | { ok: false; error: ConfigIssue };

/** `['lines', 2, 'probe', 'type']` -> `lines[2].probe.type`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function firstIssue(error: z.ZodError, file: string, prefix: PropertyKey[]): ConfigIssue {
  const issue = error.issues[0];
  const path = [...prefix, ...(issue?.path ?? [])];
  return { code: 'config_invalid', file, path: jsonPath(path), message: issue?.message ?? 'invalid' };
}

/** Validate an already-parsed value (e.g. the demo config built in code). */
export function validateFacilityConfig(value: unknown, file: string): ConfigParseResult {
  const parsed = FileShape.safeParse(value);
  if (!parsed.success) return { ok: false, error: firstIssue(parsed.error, file, []) };
  const warnings: ConfigIssue[] = [];
  const lines = parsed.data.lines.map((l, i): LineConfig => {
    const probe = ProbeSpec.safeParse(l.probe);
    const probeIssue = probe.success ? null : firstIssue(probe.error, file, ['lines', i, 'probe']);
    if (probeIssue) warnings.push(probeIssue);
    return {
      id: l.id,
      name: l.name,
      unit: l.unit,
      kind: l.kind,
      criticality: l.criticality,
      via: l.via ?? null,
      probe: probe.success ? probe.data : null,
      probeIssue,
      voiceTest: l.voiceTest ?? null,
    };
  });
  const { facility, units, probeDefaults, outages, reserveProcedure } = parsed.data;
  const escalationPolicies = parsed.data.escalationPolicies ?? null;
  const mesh = parsed.data.mesh ?? null;
  return {
    ok: true,
    config: { facility, units, lines, probeDefaults, outages, reserveProcedure, escalationPolicies, mesh },
    warnings,
  };
}

/** Parse the file's text (JSON with comments allowed). */
export function parseFacilityConfig(text: string, file: string): ConfigParseResult {
  const json = parseJsonc(text);
  if (!json.ok) {
    const { message, line, column } = json.error;
    const where = line === undefined ? '' : ` (line ${line}, column ${column})`;
    return {
      ok: false,
      error: {
        code: 'config_syntax',
        file,
        path: '(root)',
        message: `not valid JSON${where}: ${message}`,
        line,
        column,
      },
    };
  }
  return validateFacilityConfig(json.value, file);
}

/** One line of text for logs: `guardline.config.json: lines[2].probe.type: ...`. */
export function describeConfigIssue(issue: ConfigIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}
