import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { isOnshiError } from '@onshi/core';
import { encodeResponse, fromHex, SW, toHex } from './apdu.ts';
import type { Card } from './card.ts';
import { cardIdentity, TEST_PIN, testCard } from './card-fixture.ts';
import {
  pinTriesLeft,
  readUserCaCertificate,
  readUserCertificate,
  selectJpkiAp,
  sha256DigestInfo,
  signChallenge,
  verifyPin,
} from './host.ts';

/** A card that logs every command APDU (hex) it passes on. */
function recording(card: Card): { card: Card; log: string[] } {
  const log: string[] = [];
  return {
    log,
    card: {
      transmit: (command) => {
        log.push(toHex(command));
        return card.transmit(command);
      },
      reset: () => card.reset(),
    },
  };
}

/** A card that answers every command with the same response. */
function answering(response: Uint8Array): Card {
  return { transmit: async () => response, reset: async () => {} };
}

function hasCode(code: string): (error: unknown) => boolean {
  return (error) => isOnshiError(error) && error.code === code;
}

describe('host side of the JPKI user-authentication AP', () => {
  it('reads the user certificate with a 4-byte header read, then 256-byte chunks', async () => {
    const { certificate, caCertificate } = await cardIdentity();
    const { card, log } = recording((await testCard()).card);
    await selectJpkiAp(card);
    assert.deepEqual(await readUserCertificate(card), certificate);
    const chunks = [];
    for (let offset = 4; offset < certificate.length; offset += 256) {
      const le = Math.min(256, certificate.length - offset) & 0xff;
      chunks.push(
        `00B0${offset.toString(16).padStart(4, '0')}${le.toString(16).padStart(2, '0')}`.toUpperCase(),
      );
    }
    assert.deepEqual(log, ['00A4040C0AD392F000260100000001', '00A4020C02000A', '00B0000004', ...chunks]);
    assert.deepEqual(await readUserCaCertificate(card), caCertificate);
    assert.equal(new X509Certificate(certificate).checkIssued(new X509Certificate(caCertificate)), true);
  });

  it('reports tries left and PIN results; a right PIN resets the counter', async () => {
    const { card } = await testCard();
    await selectJpkiAp(card);
    assert.equal(await pinTriesLeft(card), 3);
    assert.deepEqual(await verifyPin(card, '0000'), { ok: false, blocked: false, triesLeft: 2 });
    assert.equal(await pinTriesLeft(card), 2);
    assert.deepEqual(await verifyPin(card, TEST_PIN), { ok: true });
    assert.equal(await pinTriesLeft(card), 3);
  });

  it('reports a blocked PIN, and a blocked card cannot sign with it', async () => {
    const { card } = await testCard();
    await selectJpkiAp(card);
    assert.deepEqual(await verifyPin(card, '9999'), { ok: false, blocked: false, triesLeft: 2 });
    assert.deepEqual(await verifyPin(card, '9999'), { ok: false, blocked: false, triesLeft: 1 });
    assert.deepEqual(await verifyPin(card, '9999'), { ok: false, blocked: true });
    assert.deepEqual(await verifyPin(card, TEST_PIN), { ok: false, blocked: true });
    assert.equal(await pinTriesLeft(card), 0);
    await assert.rejects(
      signChallenge(card, Buffer.from('c')),
      hasCode('CARD_SECURITY_STATUS_NOT_SATISFIED'),
    );
  });

  it('signs a challenge after the PIN; the signature verifies with the certificate over the challenge', async () => {
    const { card } = await testCard();
    const challenge = Uint8Array.from(Buffer.from('8f2c0e1a-challenge-from-central'));
    await selectJpkiAp(card);
    await assert.rejects(signChallenge(card, challenge), hasCode('CARD_SECURITY_STATUS_NOT_SATISFIED'));
    assert.deepEqual(await verifyPin(card, TEST_PIN), { ok: true });
    const signature = await signChallenge(card, challenge);
    const { publicKey } = new X509Certificate(await readUserCertificate(card));
    assert.equal(verify('sha256', challenge, publicKey, signature), true);
    assert.equal(verify('sha256', Buffer.from('another challenge'), publicKey, signature), false);
  });

  it('signs after face authentication by the reader', async () => {
    const test = await testCard();
    await selectJpkiAp(test.card);
    test.card.recordFaceAuthentication();
    const signature = await signChallenge(test.card, Buffer.from('c'));
    const { publicKey } = new X509Certificate((await cardIdentity()).certificate);
    assert.equal(verify('sha256', Buffer.from('c'), publicKey, signature), true);
  });

  it('builds the SHA-256 DigestInfo', () => {
    assert.equal(
      toHex(sha256DigestInfo(Buffer.from('abc'))),
      '3031300D060960864801650304020105000420BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD',
    );
  });

  it('checks the PIN format before talking to the card', async () => {
    const { card, log } = recording((await testCard()).card);
    for (const pin of ['123', '12345', '12a4', '１２３４', '']) {
      await assert.rejects(verifyPin(card, pin), hasCode('CARD_PIN_FORMAT_INVALID'), pin);
    }
    assert.deepEqual(log, []);
  });

  it('turns card failures into coded errors', async () => {
    await assert.rejects(
      selectJpkiAp(answering(encodeResponse(SW.FILE_NOT_FOUND))),
      hasCode('CARD_APPLICATION_NOT_FOUND'),
    );
    await assert.rejects(
      selectJpkiAp(answering(encodeResponse(SW.MEMORY_FAILURE))),
      hasCode('CARD_COMMAND_FAILED'),
    );
    await assert.rejects(selectJpkiAp(answering(fromHex('90'))), hasCode('CARD_RESPONSE_INVALID'));
    await assert.rejects(
      readUserCertificate(answering(fromHex('04820100 9000'))),
      hasCode('CARD_RESPONSE_INVALID'),
    );
    await assert.rejects(
      readUserCertificate(answering(fromHex('3082 9000'))),
      hasCode('CARD_RESPONSE_INVALID'),
    );
    await assert.rejects(pinTriesLeft(answering(encodeResponse(0x6a88))), hasCode('CARD_COMMAND_FAILED'));
    assert.equal(await pinTriesLeft(answering(encodeResponse(SW.OK))), 3); // verified in this session
    const fresh = (await testCard()).card; // no AP selected: the EF is not found
    await assert.rejects(readUserCertificate(fresh), (error: unknown) => {
      return isOnshiError(error) && error.code === 'CARD_COMMAND_FAILED' && error.params.sw === '6A82';
    });
  });
});
