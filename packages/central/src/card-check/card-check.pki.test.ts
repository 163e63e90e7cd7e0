/**
 * The card verifier from configuration: the JPKI directory with an in-process OCSP responder (the
 * demo), an OCSP responder over HTTP (production), and the refusal of configurations that would
 * not check revocation.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OCSP_RESPONSE_TYPE } from '@onshi/pki';
import { type CardWorld, createCardWorld, signAsCard } from './card-check.fixture.ts';
import { createCardCheckFromConfig } from './card-check.pki.ts';

describe('createCardCheckFromConfig', () => {
  let world: CardWorld;
  let server: Server;
  let url = '';
  let failing = false;

  before(async () => {
    world = await createCardWorld();
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        if (failing || req.headers['content-type'] !== 'application/ocsp-request') {
          res.writeHead(500).end();
          return;
        }
        const answer = await world.ocsp.respond(Buffer.concat(chunks));
        res.writeHead(200, { 'content-type': OCSP_RESPONSE_TYPE }).end(answer);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocsp`;
  });
  after(async () => {
    server.close();
    await world.dispose();
  });

  async function input() {
    const card = await world.issueCard();
    const challenge = randomBytes(32);
    return {
      card,
      proof: { certificateDer: card.certificateDer, challenge, signature: signAsCard(card, challenge) },
    };
  }

  it('uses the JPKI directory: its bundle and an in-process OCSP responder', async () => {
    const { card, proof } = await input();
    const open = () =>
      createCardCheckFromConfig({
        jpkiDir: world.jpki.dir,
        jpkiPassphraseFile: world.passphraseFile,
        clock: world.clock,
      });
    const verifier = await open();
    assert.equal((await verifier.verifyCardSignature(proof)).serial, card.certificate.serialNumber);
    verifier.close();
    await world.jpki.revoke(card.serial, 'keyCompromise');
    const reopened = await open(); // the responder re-reads the directory every 2 s; reopening reads it now
    await assert.rejects(reopened.verifyCardSignature(proof), { code: 'PKI_CERT_REVOKED' });
    reopened.close();
  });

  it('asks an OCSP responder over HTTP when a URL is given', async () => {
    const verifier = await createCardCheckFromConfig({
      cardTrustFile: join(world.jpki.dir, 'bundle.pem'),
      ocspUrl: url,
      clock: world.clock,
    });
    const { card, proof } = await input();
    assert.equal((await verifier.verifyCardSignature(proof)).serial, card.certificate.serialNumber);
    await world.revoke(card);
    await assert.rejects(verifier.verifyCardSignature(proof), { code: 'PKI_CERT_REVOKED' });
    failing = true;
    await assert.rejects(verifier.verifyCardSignature((await input()).proof), {
      code: 'PKI_OCSP_RESPONSE_INVALID',
    });
    failing = false;
    const unreachable = await createCardCheckFromConfig({
      jpkiDir: world.jpki.dir,
      ocspUrl: 'http://127.0.0.1:1/ocsp',
      clock: world.clock,
    });
    await assert.rejects(unreachable.verifyCardSignature((await input()).proof), {
      code: 'PKI_OCSP_RESPONSE_INVALID',
    });
  });

  it('refuses a configuration without trust or without revocation checking: CONFIG_INVALID', async () => {
    await assert.rejects(createCardCheckFromConfig({ ocspUrl: url, clock: world.clock }), {
      code: 'CONFIG_INVALID',
    });
    await assert.rejects(createCardCheckFromConfig({ jpkiDir: world.jpki.dir, clock: world.clock }), {
      code: 'CONFIG_INVALID',
    });
    await assert.rejects(
      createCardCheckFromConfig({
        cardTrustFile: join(world.dir, 'missing.pem'),
        ocspUrl: url,
        clock: world.clock,
      }),
      { code: 'CONFIG_INVALID' },
    );
  });
});
