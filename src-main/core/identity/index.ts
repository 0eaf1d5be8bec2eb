/** Device identity (issue 12): the console's Ed25519 key, its keyring and the trust checks on received events. */
export { deviceKeyFileFor, loadDeviceIdentity, PUBLIC_KEY_META, type DeviceIdentity } from './identity.ts';
export { createConsoleKeyring, type ConsoleKeyring } from './console-keyring.ts';
export { deviceKeyProjector } from './device-key-projection.ts';
export {
  createRevocations,
  deviceRevocationProjector,
  type DeviceRevocation,
  type Revocations,
} from './device-revocations.ts';
