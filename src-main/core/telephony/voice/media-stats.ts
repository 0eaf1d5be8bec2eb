/**
 * What the echoed stream tells about the voice path, from the packets sent and the
 * packets that came back. Pure: times are milliseconds on one monotonic clock.
 *
 * - Loss: sent packets whose echo never arrived (duplicates count once).
 * - Interarrival jitter: RFC 3550 §6.4.1 / A.8, J += (|D| - J) / 16, over the echoed
 *   packets in arrival order, with the RTP timestamps they carry. Through an echo this
 *   is the round trip's jitter (both legs), which is what a caller hears too.
 * - Media round trip: median of (echo arrival - send time) per packet.
 * - Longest gap: the longest stretch with no echoed packet, from the first frame's
 *   expected echo to the last frame's (a cut call shows as a long tail gap).
 * - Late packets: those whose delay exceeds the fastest packet's by more than the
 *   jitter buffer; a phone's fixed jitter buffer would discard them, so the E-model
 *   counts them as lost.
 */

export interface SentPacket {
  seq: number;
  at: number;
  /** RTP timestamp (8000 Hz units). */
  timestamp: number;
}

export interface EchoedPacket {
  /** The probe sequence recovered from the payload. */
  seq: number;
  at: number;
  /** RTP timestamp in the echoed header. */
  timestamp: number;
}

export interface MediaStats {
  sent: number;
  received: number;
  lossPct: number;
  jitterMs: number;
  rttMs: number | null;
  longestGapMs: number;
  latePct: number;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** RFC 3550 interarrival jitter, in milliseconds, over packets in arrival order. */
export function interarrivalJitterMs(packets: readonly { at: number; timestamp: number }[], clockRate = 8000): number {
  let jitter = 0; // in timestamp units, as RFC 3550 keeps it
  for (let i = 1; i < packets.length; i++) {
    const a = packets[i - 1]!;
    const b = packets[i]!;
    const arrival = ((b.at - a.at) * clockRate) / 1000;
    const sentTs = (b.timestamp - a.timestamp) | 0; // 32-bit wrap-safe difference
    const d = arrival - sentTs;
    jitter += (Math.abs(d) - jitter) / 16;
  }
  return (jitter * 1000) / clockRate;
}

export interface MeasureInput {
  sent: readonly SentPacket[];
  /** Echoes in arrival order. */
  echoed: readonly EchoedPacket[];
  /** When sending stopped and listening ended: a silent tail up to here is a gap. */
  listenedUntil: number;
  jitterBufferMs: number;
  clockRate?: number;
}

export function measureMedia(input: MeasureInput): MediaStats {
  const sentBySeq = new Map(input.sent.map((p) => [p.seq, p]));
  const seen = new Set<number>();
  const firstEchoes: EchoedPacket[] = [];
  for (const e of input.echoed) {
    if (!sentBySeq.has(e.seq) || seen.has(e.seq)) continue;
    seen.add(e.seq);
    firstEchoes.push(e);
  }
  const sent = input.sent.length;
  const received = firstEchoes.length;
  const delays = firstEchoes.map((e) => e.at - sentBySeq.get(e.seq)!.at);
  const sorted = [...delays].sort((a, b) => a - b);
  const rtt = sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!;
  const fastest = sorted[0] ?? 0;
  const late = delays.filter((d) => d - fastest > input.jitterBufferMs).length;
  const firstSent = input.sent[0]?.at ?? input.listenedUntil;
  let gap = 0;
  let previous = firstSent + fastest;
  for (const e of firstEchoes) {
    gap = Math.max(gap, e.at - previous);
    previous = Math.max(previous, e.at);
  }
  // The tail counts up to when the last frame's echo was due, not the listening grace after it.
  const lastDue = (input.sent.at(-1)?.at ?? input.listenedUntil) + fastest;
  gap = Math.max(gap, Math.min(input.listenedUntil, lastDue) - previous);
  return {
    sent,
    received,
    lossPct: sent === 0 ? 0 : round((100 * (sent - received)) / sent),
    jitterMs: round(interarrivalJitterMs(firstEchoes, input.clockRate)),
    rttMs: rtt === null ? null : round(rtt),
    longestGapMs: round(gap),
    latePct: sent === 0 ? 0 : round((100 * late) / sent),
  };
}
