/**
 * The OCSP responder over a card-PKI directory, as a service would run it: the delegated responder
 * key (`ocsp.key.pem`, decrypted with the passphrase file) and the issuer's records, re-read when
 * they change. The card CA key is not needed, so it need not be where the responder runs.
 */
import type { Clock } from '@onshi/core';
import { loadAuthority, loadCertificate } from '../authority.ts';
import { readPassphraseFile } from '../keys.ts';
import { type CardStatusSource, watchCardStatus } from './jpki.registry.ts';
import { createOcspResponder, type OcspResponder } from './ocsp-responder.ts';

export interface OcspService extends OcspResponder {
  readonly statusSource: CardStatusSource;
  close(): void;
}

export async function openOcspService(
  dir: string,
  passphraseFile: string,
  options: {
    readonly clock: Clock;
    readonly intervalMs?: number | undefined;
    readonly validityMs?: number | undefined;
  },
): Promise<OcspService> {
  const passphrase = await readPassphraseFile(passphraseFile);
  const issuer = await loadCertificate(dir, 'card-ca');
  const signer = await loadAuthority(dir, 'ocsp', await loadCertificate(dir, 'ocsp'), passphrase);
  const statusSource = await watchCardStatus(dir, { intervalMs: options.intervalMs });
  const responder = createOcspResponder({
    issuer,
    signer,
    status: (serial) => statusSource.status(serial),
    clock: options.clock,
    validityMs: options.validityMs,
  });
  return { respond: responder.respond, statusSource, close: () => statusSource.close() };
}
