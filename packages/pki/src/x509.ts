/**
 * The one door to `@peculiar/x509`: it needs `reflect-metadata` evaluated before it, and a WebCrypto
 * provider. Import x509 only from here.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
