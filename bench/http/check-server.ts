/**
 * The central service for the benchmark, started like the CLI starts it (`startCentral`): the
 * seeded store, HTTPS with the bench's common CA for client certificates and its CRL, the system
 * clock (the certificates are issued at run time; the requests name the store's `asOf` as the
 * date of the check), info logging off. With a card PKI (`card`), the check by My Number card as
 * well: the JPKI directory's in-process OCSP responder, challenges that live 10 minutes (the benchmark
 * fetches and signs them before it measures), and the given OCSP reuse.
 */
import { createLogger, loadConfig, startCentral } from '@onshi/central';

export interface CheckServerOptions {
  readonly store: string;
  readonly keyFile: string;
  readonly certFile: string;
  readonly clientCaFile: string;
  readonly crlFile: string;
  readonly card?:
    | { readonly jpkiDir: string; readonly passphraseFile: string; readonly ocspCacheSeconds: number }
    | undefined;
}

/** The batch settings of this process's environment (`ONSHI_BATCH_*`), passed on to the server. */
function batchEnvironment(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith('ONSHI_BATCH_') && e[1] !== undefined,
    ),
  );
}

export async function startCheckServer(options: CheckServerOptions): Promise<string> {
  const config = loadConfig({
    ...batchEnvironment(),
    ONSHI_STORE: options.store,
    ONSHI_HOST: '127.0.0.1',
    ONSHI_PORT: '0',
    ONSHI_TLS_KEY_FILE: options.keyFile,
    ONSHI_TLS_CERT_FILE: options.certFile,
    ONSHI_CLIENT_CA_FILE: options.clientCaFile,
    ONSHI_CRL_FILE: options.crlFile,
    ...(options.card === undefined
      ? {}
      : {
          ONSHI_JPKI_DIR: options.card.jpkiDir,
          ONSHI_JPKI_PASSPHRASE_FILE: options.card.passphraseFile,
          ONSHI_OCSP_CACHE_SECONDS: String(options.card.ocspCacheSeconds),
          ONSHI_CARD_CHALLENGE_SECONDS: '600',
        }),
  });
  const central = await startCentral(config, {
    clock: { now: () => new Date() },
    logger: createLogger(undefined, { quiet: true }),
  });
  return central.url;
}
