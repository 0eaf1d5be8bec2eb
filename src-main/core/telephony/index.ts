/** Public face of the telephony feature: what the composition root, hosts and benches use. */
export {
  createTelephony,
  type Telephony,
  type TelephonyDeps,
  type TelephonyMode,
  type TelephonyPush,
} from './telephony.ts';
export { telephonyApp } from './app.ts';
export { voiceApp } from './voice/app.ts';
export { createCredentialStore, type CredentialCodec, type CredentialStore } from './voice/credential-store.ts';
export type { PlaceCall } from './voice/voice-tests.ts';
export { lineProjector } from './line-projection.ts';
export { outageProjector } from './outage-projection.ts';
export { runProbe, type ProbeRunner } from './probes.ts';
export { probeSipOptions } from './sip-options-probe.ts';
export { detectionBoundMs } from './hysteresis.ts';
export { startDemoResponder, type DemoResponder } from './demo-responder.ts';
export { demoFacilityConfig, DEMO_LINES } from './demo-facility.ts';
