/**
 * Trust shared by the console core and the tracker (issue 12): Ed25519 keys, keyrings
 * and the one verification every receiver of an event runs.
 */
export {
  generateDeviceKeyPair,
  keyFingerprint,
  publicKeyObject,
  rawPublicKey,
  signBytes,
  verifyBytes,
  type KeyPairPem,
} from './keys.ts';
export { createKeyring, type Keyring, type KeyringEntry } from './keyring.ts';
export {
  signCanonical,
  signEnvelope,
  verifyAuthoredEvent,
  type AuthoredEvent,
  type PreparedEnvelope,
  type VerifyOptions,
} from './verify-event.ts';
export { authorHash, authorHashOf, verifyByRuns, type RunVerdicts, type RunVerifyOptions } from './author-chain.ts';
