/**
 * `device.revoked`: the facility's record that a device may author nothing more (issue 12,
 * facility-wide peer removal). An admin console writes and signs it; it replicates over
 * the mesh and to the tracker like any event.
 *
 * The cutoff is the revoked device's own sequence number, not a time: `throughSeq` is the
 * highest `deviceSeq` of that device the revoking console held when it revoked. Every event
 * the device authored up to that number stays valid everywhere (the revoking console held
 * event N, so the device wrote 1..N before the revocation existed); every later one is
 * refused by every console and the tracker, whichever route it takes. A sequence number is
 * in the signed envelope, so all receivers apply the same rule without trusting clocks. Two
 * revocations of one device keep the lower cutoff (a commutative rule: the order in which
 * they arrive does not matter).
 */
import { z } from 'zod';

export const DeviceRevokedPayload = z
  .object({
    deviceId: z
      .string()
      .min(1)
      .max(64)
      .refine((id) => id !== 'tracker', { error: 'the tracker cannot be revoked' }),
    facility: z.string().trim().min(1).max(120),
    /** The revoked device's events up to this `deviceSeq` stay valid; later ones are refused. */
    throughSeq: z.number().int().nonnegative(),
    /** Device id of the admin console that revoked it. */
    revokedBy: z.string().min(1).max(64),
    reason: z.string().trim().max(500).default(''),
  })
  .strict();
export type DeviceRevokedPayload = z.infer<typeof DeviceRevokedPayload>;

/** True when `event` was authored by a revoked device after its cutoff (`cutoffs`: device id → throughSeq). */
export function revokedAfterCutoff(
  cutoffs: ReadonlyMap<string, number> | Readonly<Record<string, number>>,
  event: { deviceId: string; deviceSeq?: number | undefined },
): boolean {
  const cut =
    cutoffs instanceof Map ? cutoffs.get(event.deviceId) : (cutoffs as Record<string, number>)[event.deviceId];
  if (cut === undefined) return false;
  // Unsigned (no sequence number) counts as after: a revoked device vouches for nothing new.
  return event.deviceSeq === undefined || event.deviceSeq > cut;
}

/** The lower of two cutoffs wins (see above). */
export const mergeCutoff = (a: number | undefined, b: number): number => (a === undefined ? b : Math.min(a, b));
