/**
 * The SDP the test call offers (RFC 4566, offer/answer per RFC 3264) and the parts of
 * the answer it needs: where to send RTP and which G.711 codec the far end chose.
 * Anything else in the answer (extra media lines, attributes) is read past; an answer
 * without an audio stream we can send to is an error naming what is missing.
 */

/** Static payload types (RFC 3551 §6): PCMU = 0, PCMA = 8, both 8000 Hz. */
export const G711 = { PCMU: 0, PCMA: 8 } as const;
export type G711Codec = keyof typeof G711;
export const TELEPHONE_EVENT_PT = 101;

export class SdpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdpError';
  }
}

export interface SdpOffer {
  sessionId: string;
  address: string;
  port: number;
  codecs: readonly G711Codec[];
  ptimeMs: number;
}

export function buildSdpOffer(o: SdpOffer): string {
  const ip = o.address.includes(':') ? 'IP6' : 'IP4';
  const pts = o.codecs.map((c) => G711[c]);
  const lines = [
    'v=0',
    `o=guardline ${o.sessionId} 1 IN ${ip} ${o.address}`,
    's=Guardline test call',
    `c=IN ${ip} ${o.address}`,
    't=0 0',
    `m=audio ${o.port} RTP/AVP ${pts.join(' ')}`,
    ...o.codecs.map((c) => `a=rtpmap:${G711[c]} ${c}/8000`),
    `a=ptime:${o.ptimeMs}`,
    'a=sendrecv',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

export interface SdpAnswer {
  address: string;
  port: number;
  payloadType: number;
  codec: G711Codec;
  /** `a=sendonly`/`recvonly`/`inactive` from the answer: the far end said it will not echo. */
  direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

const MAX_SDP_BYTES = 16_384;

export function parseSdpAnswer(text: string): SdpAnswer {
  if (text.length === 0) throw new SdpError('answer has no SDP body');
  if (text.length > MAX_SDP_BYTES) throw new SdpError(`SDP of ${text.length} bytes is too large`);
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  if (lines[0] !== 'v=0') throw new SdpError('SDP does not start with v=0');
  let sessionAddress: string | null = null;
  let sessionDirection: SdpAnswer['direction'] = 'sendrecv';
  let audio: { port: number; pts: number[]; address: string | null; direction: SdpAnswer['direction'] | null } | null =
    null;
  let inAudio = false;
  const rtpmap = new Map<number, string>();
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw new SdpError(`bad SDP line: ${JSON.stringify(line.slice(0, 60))}`);
    const kind = line[0];
    const value = line.slice(2);
    if (kind === 'm') {
      if (audio) {
        inAudio = false;
        continue; // first audio stream only
      }
      const m = /^audio (\d{1,5})(?:\/\d+)? RTP\/AVP((?: \d{1,3})+)$/.exec(value);
      inAudio = m !== null;
      if (m) audio = { port: Number(m[1]), pts: m[2]!.trim().split(' ').map(Number), address: null, direction: null };
    } else if (kind === 'c') {
      const m = /^IN IP[46] ([0-9A-Fa-f.:]{2,45})$/.exec(value);
      if (!m) throw new SdpError(`bad connection line: ${JSON.stringify(value.slice(0, 60))}`);
      if (inAudio && audio) audio.address = m[1]!;
      else if (!audio) sessionAddress = m[1]!;
    } else if (kind === 'a') {
      const dir = /^(sendrecv|sendonly|recvonly|inactive)$/.exec(value)?.[1] as SdpAnswer['direction'] | undefined;
      if (dir) {
        if (inAudio && audio) audio.direction = dir;
        else if (!audio) sessionDirection = dir;
      }
      const map = /^rtpmap:(\d{1,3}) ([A-Za-z0-9-]+)\/8000/.exec(value);
      if (map && inAudio) rtpmap.set(Number(map[1]), map[2]!.toUpperCase());
    }
  }
  if (!audio) throw new SdpError('answer has no RTP/AVP audio stream');
  const address = audio.address ?? sessionAddress;
  if (!address) throw new SdpError('answer has no connection address (c=)');
  if (audio.port === 0) throw new SdpError('far end rejected the audio stream (port 0)');
  for (const pt of audio.pts) {
    const name = rtpmap.get(pt) ?? (pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : null);
    if (name === 'PCMU' || name === 'PCMA') {
      return {
        address,
        port: audio.port,
        payloadType: pt,
        codec: name,
        direction: audio.direction ?? sessionDirection,
      };
    }
  }
  throw new SdpError(`far end chose no G.711 codec (payload types ${audio.pts.join(' ')})`);
}
