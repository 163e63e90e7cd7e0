/**
 * Test support (imported by *.test.ts only): an RSA-2048 card key with a user-authentication
 * certificate issued by a throw-away card CA, made once per process, and in-memory cards.
 */
import 'reflect-metadata';
import { createPrivateKey, type KeyObject, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { type PinCounter, VirtualMyNumberCard } from './virtual-card.ts';

export interface CardIdentity {
  /** 利用者証明用電子証明書, DER. */
  readonly certificate: Uint8Array;
  /** The card CA's certificate, DER. */
  readonly caCertificate: Uint8Array;
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
}

export const TEST_PIN = '1234';

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: Uint8Array.of(1, 0, 1),
  modulusLength: 2048,
} as const;

let identity: Promise<CardIdentity> | undefined;

/** The same identity for every test of the process (key generation takes a while). */
export function cardIdentity(): Promise<CardIdentity> {
  identity ??= makeIdentity();
  return identity;
}

async function makeIdentity(): Promise<CardIdentity> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const caKeys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const cardKeys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const validity = {
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2030-01-01T00:00:00Z'),
  };
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Test Card CA, O=onshi test',
    keys: caKeys,
    signingAlgorithm: RSA,
    ...validity,
  });
  const user = await x509.X509CertificateGenerator.create({
    serialNumber: '1001',
    issuer: ca.subject,
    subject: 'CN=test card holder',
    publicKey: cardKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: RSA,
    ...validity,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', cardKeys.privateKey));
  const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return {
    certificate: new Uint8Array(user.rawData),
    caCertificate: new Uint8Array(ca.rawData),
    privateKey,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  };
}

export interface TestCard {
  readonly card: VirtualMyNumberCard;
  /** Every counter the card stored, in order. */
  readonly stored: PinCounter[];
}

/** An in-memory card whose stored counters are recorded; `failStore` makes storing throw. */
export async function testCard(
  options: { counter?: PinCounter; withCa?: boolean; failStore?: boolean } = {},
): Promise<TestCard> {
  const { certificate, caCertificate, privateKey } = await cardIdentity();
  const stored: PinCounter[] = [];
  const card = new VirtualMyNumberCard({
    certificate,
    caCertificate: options.withCa === false ? undefined : caCertificate,
    privateKey,
    pin: TEST_PIN,
    counter: options.counter ?? { triesLeft: 3, blocked: false },
    persist: async (counter) => {
      if (options.failStore === true) throw new Error('disk full');
      stored.push(counter);
    },
  });
  return { card, stored };
}
