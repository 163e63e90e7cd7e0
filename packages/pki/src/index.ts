/**
 * @onshi/pki — the common CA for institutions (mutual TLS), the JPKI-like card PKI, and the
 * checks the central service makes with them. See packages/pki/README.md.
 */

export type { IssuedEntry, KeyDelivery } from './ca/ca.index.ts';
export { INSTITUTION_VALIDITY_MONTHS } from './ca/ca.profiles.ts';
export type {
  CommonCa,
  CommonCaOptions,
  CreateCommonCaOptions,
  InstitutionRequest,
  IssuedCertificate,
} from './ca/common-ca.ts';
export { createCaDirectory, openCa } from './ca/common-ca.ts';
export { createInstitutionCsr } from './ca/csr.ts';
export type { VirtualCardFile } from './card-file.ts';
export {
  checkVirtualCard,
  PIN_TRIES,
  readVirtualCardFile,
  VIRTUAL_CARD_FORMAT,
  writeVirtualCardFile,
} from './card-file.ts';
export { normalizeSerial, parsePemBundle } from './certs.ts';
export type { RsaKeyPair } from './keys.ts';
export {
  decryptPrivateKey,
  encryptPrivateKey,
  generateRsaKeyPair,
  privateKeyPem,
  readPassphraseFile,
} from './keys.ts';
export type { Pkcs12Contents } from './pkcs12.ts';
export { openPkcs12 } from './pkcs12.ts';
export type { RevocationReason } from './revocation.ts';
export { revocationReason, revocationReasons } from './revocation.ts';
export type { ChainVerifier } from './verify/chain.ts';
export { createChainVerifier, parseCertificate } from './verify/chain.ts';
export type { CrlInfo, CrlWatcher, CrlWatcherOptions } from './verify/crl-watcher.ts';
export { createCrlWatcher } from './verify/crl-watcher.ts';
export type {
  InstitutionIdentity,
  InstitutionVerifier,
  InstitutionVerifierOptions,
  PeerCertificateLike,
} from './verify/institution.ts';
export { createInstitutionVerifier, institutionCodeOf } from './verify/institution.ts';
