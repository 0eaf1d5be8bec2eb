/**
 * RTP packets for the test call (RFC 3550 §5.1). Each payload carries a marker and
 * our own sequence number, so an echo that rewrites the RTP header (Asterisk's
 * `Echo()` keeps payloads but not sequence numbers) still tells us which sent
 * packet came back.
 */

export const RTP_HEADER_BYTES = 12;
/** 20 ms of G.711 at 8000 Hz. */
export const SAMPLES_PER_PACKET = 160;
const MARK = Buffer.from('GLv1', 'latin1');

export interface RtpPacket {
  payloadType: number;
  sequence: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
}

export class RtpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RtpError';
  }
}

/** A 20 ms G.711 frame: marker + probe sequence, then a quiet tone pattern (idle-noise sized bytes). */
export function probePayload(probeSeq: number, fill: number): Buffer {
  const payload = Buffer.alloc(SAMPLES_PER_PACKET, fill);
  MARK.copy(payload, 0);
  payload.writeUInt32BE(probeSeq >>> 0, 4);
  return payload;
}

/** Our probe sequence from an echoed payload, or null when the payload is not one we sent. */
export function probeSequence(payload: Buffer): number | null {
  if (payload.length < 8 || !payload.subarray(0, 4).equals(MARK)) return null;
  return payload.readUInt32BE(4);
}

export function buildRtp(p: RtpPacket, marker = false): Buffer {
  const header = Buffer.alloc(RTP_HEADER_BYTES);
  header[0] = 0x80; // version 2, no padding, no extension, no CSRC
  header[1] = (marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  header.writeUInt16BE(p.sequence & 0xffff, 2);
  header.writeUInt32BE(p.timestamp >>> 0, 4);
  header.writeUInt32BE(p.ssrc >>> 0, 8);
  return Buffer.concat([header, p.payload]);
}

export function parseRtp(data: Buffer): RtpPacket {
  if (data.length < RTP_HEADER_BYTES)
    throw new RtpError(`datagram of ${data.length} bytes is shorter than an RTP header`);
  const b0 = data[0]!;
  if (b0 >> 6 !== 2) throw new RtpError(`RTP version ${b0 >> 6}, expected 2`);
  const csrc = b0 & 0x0f;
  let offset = RTP_HEADER_BYTES + csrc * 4;
  if (b0 & 0x10) {
    if (data.length < offset + 4) throw new RtpError('truncated RTP header extension');
    offset += 4 + data.readUInt16BE(offset + 2) * 4;
  }
  let end = data.length;
  if (b0 & 0x20) end -= data[data.length - 1]!;
  if (offset > end) throw new RtpError('RTP header longer than the datagram');
  return {
    payloadType: data[1]! & 0x7f,
    sequence: data.readUInt16BE(2),
    timestamp: data.readUInt32BE(4),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(offset, end),
  };
}
