/**
 * @onshi/pki — the common CA for institutions (mutual TLS), the JPKI-like card PKI, and the
 * checks the central service makes with them. See packages/pki/README.md.
 */

export type { IssuedEntry, KeyDelivery } from './ca/ca.index.ts';
export { INSTITUTION_VALIDITY_MONTHS, publicKeyFromCsr } from './ca/ca.profiles.ts';
export { CRL_FILE } from './ca/common-ca.ops.ts';
export type {
  CommonCa,
  CommonCaOptions,
  CreateCommonCaOptions,
  InstitutionRequest,
  IssuedCertificate,
} from './ca/common-ca.ts';
export { createCaDirectory, openCa } from './ca/common-ca.ts';
export { createInstitutionCsr } from './ca/csr.ts';
export type { Card } from './card/card.ts';
export type { PinVerification } from './card/host.ts';
export {
  pinTriesLeft,
  readUserCaCertificate,
  readUserCertificate,
  selectJpkiAp,
  sha256DigestInfo,
  signChallenge,
  verifyPin,
} from './card/host.ts';
export { VirtualMyNumberCard } from './card/virtual-card.ts';
export { openVirtualMyNumberCard } from './card/virtual-card-file.ts';
export type { VirtualCardFile } from './card-file.ts';
export {
  checkVirtualCard,
  PIN_TRIES,
  readVirtualCardFile,
  VIRTUAL_CARD_FORMAT,
  writeVirtualCardFile,
} from './card-file.ts';
export type { CardLink } from './card-links.ts';
export { appendCardLinks, readCardLinks } from './card-links.ts';
export { normalizeSerial, parsePemBundle } from './certs.ts';
export type {
  CardSignatureInput,
  CardVerifier,
  CardVerifierOptions,
  VerifiedCard,
} from './jpki/card-verifier.ts';
export { createCardVerifier } from './jpki/card-verifier.ts';
export { USER_CERTIFICATE_VALIDITY_MONTHS } from './jpki/jpki.profiles.ts';
export type {
  CardStatus,
  CardStatusSource,
  IssuedCardRecord,
  RevokedCardRecord,
} from './jpki/jpki.registry.ts';
export { watchCardStatus } from './jpki/jpki.registry.ts';
export type { IssuedUserCertificate, IssueUserOptions, JpkiCa } from './jpki/jpki.types.ts';
export { createJpkiDirectory, openJpki } from './jpki/jpki-ca.ts';
export { OCSP_REQUEST_TYPE, OCSP_RESPONSE_TYPE } from './jpki/ocsp.common.ts';
export type { OcspCheckOptions, OcspResult, OcspTransport } from './jpki/ocsp-client.ts';
export { checkOcsp } from './jpki/ocsp-client.ts';
export type { OcspResponder, OcspResponderOptions } from './jpki/ocsp-responder.ts';
export { createOcspResponder } from './jpki/ocsp-responder.ts';
export type { OcspService } from './jpki/ocsp-service.ts';
export { openOcspService } from './jpki/ocsp-service.ts';
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
