/**
 * Derived event ids. Most events get a fresh UUIDv7. A few facts are recorded by
 * every console that holds them — an escalation level timing out while the facility
 * is offline, the incident going to `escalated` when its escalation starts — and get
 * an id derived (UUIDv5) from what they record: incident, escalation, kind, level,
 * round. Two consoles that record the same step produce the same id, so the log keeps
 * one copy.
 *
 * The copies differ in their envelope (device, HLC, device time; sometimes the
 * resolved target list), so a receiver must not treat a derived id it already holds
 * with different content as tampering: the first stored copy wins and later copies
 * are duplicates. A UUIDv7 id arriving with different content stays a conflict.
 */
const DERIVED = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isDerivedEventId(id: string): boolean {
  return DERIVED.test(id);
}
