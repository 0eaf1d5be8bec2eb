/**
 * A self-signed X.509 certificate for the device key, so two consoles can speak mutual TLS
 * without a certificate authority (Syncthing's model): the certificate only carries the
 * public key; trust comes from pinning that key against the facility's device records.
 *
 * Built with @peculiar/asn1-x509 (the ASN.1 schema of RFC 5280) and signed with node:crypto,
 * because Node has no certificate generator and @peculiar/x509 needs a global reflect
 * polyfill; `selfsigned` builds on node-forge, which has no Ed25519 certificates.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Certificate,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
} from '@peculiar/asn1-x509';
import { createHash, sign, type KeyObject } from 'node:crypto';

const ED25519_OID = '1.3.101.112';
const COMMON_NAME_OID = '2.5.4.3';

/** PEM certificate and PEM private key, as node:tls takes them. */
export interface TlsCredentials {
  cert: string;
  key: string;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * The certificate never expires on its own (validity 2000–9999, as RFC 5280 §4.1.2.5 allows
 * for keys that are not meant to expire): a device loses trust by revocation in the
 * facility's log, not by a date that a console with a wrong clock would misjudge.
 */
export function selfSignedCertificate(keys: { publicKey: KeyObject; privateKey: KeyObject }, commonName: string) {
  if (keys.publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('the device key must be Ed25519');
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: COMMON_NAME_OID,
        value: new AttributeValue({ utf8String: commonName.slice(0, 64) || 'guardline' }),
      }),
    ]),
  ]);
  const spki = keys.publicKey.export({ format: 'der', type: 'spki' });
  const tbs = new TBSCertificate({
    version: Version.v3,
    // A positive serial from the key itself: stable for one key, different between keys.
    serialNumber: toArrayBuffer(
      Buffer.concat([Buffer.from([0x01]), createHash('sha256').update(spki).digest().subarray(0, 15)]),
    ),
    signature: new AlgorithmIdentifier({ algorithm: ED25519_OID }),
    issuer: name,
    subject: name,
    validity: new Validity({ notBefore: new Date(Date.UTC(2000, 0, 1)), notAfter: new Date(Date.UTC(9999, 11, 31)) }),
    subjectPublicKeyInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
  });
  const signature = sign(null, Buffer.from(AsnConvert.serialize(tbs)), keys.privateKey);
  const certificate = new Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ED25519_OID }),
    signatureValue: toArrayBuffer(signature),
  });
  const der = Buffer.from(AsnConvert.serialize(certificate));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`,
    key: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  } satisfies TlsCredentials;
}

/** The pinned form of a device key: SHA-256 of its SubjectPublicKeyInfo, hex (Syncthing's device id idea). */
export function keyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
}
