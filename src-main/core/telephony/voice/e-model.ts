/**
 * Estimated MOS from the ITU-T G.107 E-model, with the simplifications a probe can
 * honestly make (each stated, so the figure can be read for what it is):
 *
 * 1. Defaults for everything a probe cannot measure (room noise, sidetone, echo
 *    loss, loudness ratings): G.107 Table 3 defaults give R0 - Is = 93.2.
 * 2. Delay impairment Id uses the widely used fit of G.107's Idd curve by Cole and
 *    Rosenbluth (2001): Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3), with d the
 *    one-way mouth-to-ear delay; talker echo (Idte) is assumed well cancelled.
 * 3. One-way delay d = media round trip / 2 + packetisation (20 ms) + the jitter buffer.
 * 4. Equipment impairment for G.711: Ie = 0 and Bpl = 25.1 (G.113 Appendix I, G.711
 *    with packet-loss concealment), random loss (BurstR = 1).
 * 5. Packet loss Ppl = lost + late (late = beyond a fixed jitter buffer; see media-stats).
 * 6. Advantage factor A = 0 (a wired line).
 * 7. R → MOS with G.107 Annex B's formula.
 */

export const R0_MINUS_IS = 93.2;
export const G711_BPL = 25.1;
export const G711_IE = 0;
export const PACKETISATION_MS = 20;

/** Delay impairment Id for one-way delay `d` ms. */
export function delayImpairment(d: number): number {
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** Effective equipment impairment Ie,eff for `pplPct` percent packet loss (random: BurstR = 1). */
export function lossImpairment(pplPct: number, ie = G711_IE, bpl = G711_BPL, burstR = 1): number {
  const ppl = Math.max(0, Math.min(100, pplPct));
  return ie + ((95 - ie) * ppl) / (ppl / burstR + bpl);
}

/** G.107 Annex B: R -> MOS (CQE). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export interface EModelInput {
  rttMs: number;
  jitterBufferMs: number;
  /** Lost + late, percent of sent packets. */
  effectiveLossPct: number;
}

export function rFactor(input: EModelInput): number {
  const d = input.rttMs / 2 + PACKETISATION_MS + input.jitterBufferMs;
  return R0_MINUS_IS - delayImpairment(d) - lossImpairment(input.effectiveLossPct);
}

export function estimateMos(input: EModelInput): { r: number; mos: number } {
  const r = rFactor(input);
  return { r: Math.round(r * 10) / 10, mos: Math.round(mosFromR(r) * 100) / 100 };
}
