import assert from 'node:assert/strict';
import { sign, verify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { fromHex, toHex } from './apdu.ts';
import type { Card } from './card.ts';
import { cardIdentity, testCard } from './card-fixture.ts';

/** Sends a hex command APDU, answers the hex response APDU. */
async function send(card: Card, command: string): Promise<string> {
  return toHex(await card.transmit(fromHex(command)));
}

/** Runs [command, expected response] vectors in order. */
async function vectors(card: Card, pairs: readonly (readonly [string, string])[]): Promise<void> {
  for (const [command, expected] of pairs) {
    assert.equal(await send(card, command), expected.replace(/\s+/g, ''), `response to ${command}`);
  }
}

const SELECT_AP = '00A4040C0A D392F000260100000001';
const SELECT_CERT = '00A4020C02 000A';
const SELECT_CA_CERT = '00A4020C02 000B';
const SELECT_KEY = '00A4020C02 0017';
const SELECT_PIN = '00A4020C02 0018';
const VERIFY_1234 = '0020008004 31323334';
const VERIFY_0000 = '0020008004 30303030';
const VERIFY_TRIES = '00200080';
/** DigestInfo(SHA-256("abc")): the card signs exactly this. */
const DIGEST_INFO_ABC =
  '3031300D060960864801650304020105000420 BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD';
const SIGN_ABC = `802A008033 ${DIGEST_INFO_ABC} 00`;

async function signatureOf(card: Card): Promise<Buffer> {
  const response = await card.transmit(fromHex(SIGN_ABC));
  assert.equal(toHex(response.subarray(-2)), '9000');
  return Buffer.from(response.subarray(0, -2));
}

async function verifiesAbc(signature: Buffer): Promise<boolean> {
  const { publicKey } = new X509Certificate((await cardIdentity()).certificate);
  return verify('sha256', Buffer.from('abc'), publicKey, signature);
}

describe('virtual My Number card: SELECT', () => {
  it('selects the JPKI AP by DF name and its user-authentication EFs', async () => {
    const { card } = await testCard();
    await vectors(card, [
      [SELECT_CERT, '6A82'], // no AP selected yet
      ['00A4040C0A D3921000310001010408', '6A82'], // 券面事項入力補助AP: not on this card
      [SELECT_AP, '9000'],
      [SELECT_CERT, '9000'],
      [SELECT_CA_CERT, '9000'],
      [SELECT_KEY, '9000'],
      [SELECT_PIN, '9000'],
      ['00A4020C02 0001', '6A82'], // 署名用電子証明書: not implemented
      ['00A4020C02 001B', '6A82'],
    ]);
  });

  it('has no EF 000B when the card holds no CA certificate', async () => {
    const { card } = await testCard({ withCa: false });
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_CA_CERT, '6A82'],
    ]);
  });
});

describe('virtual My Number card: READ BINARY', () => {
  it('returns the certificate in chunks: 4 bytes for the DER length, then up to 256 at a time', async () => {
    const { card } = await testCard();
    const { certificate } = await cardIdentity();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_CERT, '9000'],
    ]);
    const head = fromHex(await send(card, '00B0000004'));
    assert.equal(toHex(head.subarray(4)), '9000');
    assert.equal(toHex(head.subarray(0, 2)), '3082');
    const total = ((head[2]! << 8) | head[3]!) + 4;
    assert.equal(total, certificate.length);
    const parts = [head.subarray(0, 4)];
    for (let offset = 4; offset < total; offset += 256) {
      const le = Math.min(256, total - offset);
      const command = `00B0${offset.toString(16).padStart(4, '0')}${(le & 0xff).toString(16).padStart(2, '0')}`;
      const response = fromHex(await send(card, command));
      assert.equal(toHex(response.subarray(-2)), '9000', command);
      parts.push(response.subarray(0, -2));
    }
    assert.deepEqual(Buffer.concat(parts), Buffer.from(certificate));
  });

  it('answers 6282 with the bytes left when Le runs past the end, 6B00 past the end', async () => {
    const { card } = await testCard();
    const { certificate } = await cardIdentity();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_CERT, '9000'],
    ]);
    const last = certificate.length - 3;
    const offset = last.toString(16).padStart(4, '0').toUpperCase();
    assert.equal(await send(card, `00B0${offset}00`), `${toHex(certificate.subarray(last))}6282`);
    const end = certificate.length.toString(16).padStart(4, '0');
    assert.equal(await send(card, `00B0${end}01`), '6B00');
  });

  it('reads the CA certificate from EF 000B', async () => {
    const { card } = await testCard();
    const { caCertificate } = await cardIdentity();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_CA_CERT, '9000'],
      ['00B0000004', `${toHex(caCertificate.subarray(0, 4))}9000`],
    ]);
  });
});

describe('virtual My Number card: VERIFY', () => {
  it('counts wrong PINs down 63C2, 63C1, then blocks with 6983; the right PIN stays refused', async () => {
    const { card, stored } = await testCard();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_TRIES, '63C3'],
      [VERIFY_0000, '63C2'],
      [VERIFY_0000, '63C1'],
      [VERIFY_TRIES, '63C1'],
      [VERIFY_0000, '6983'],
      [VERIFY_1234, '6983'],
      [VERIFY_TRIES, '6983'],
    ]);
    await card.reset();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_1234, '6983'],
    ]);
    assert.deepEqual(stored.at(-1), { triesLeft: 0, blocked: true });
  });

  it('resets the counter to 3 on a right PIN before blocking', async () => {
    const { card, stored } = await testCard();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_0000, '63C2'],
      [VERIFY_0000, '63C1'],
      [VERIFY_1234, '9000'],
      [VERIFY_TRIES, '9000'], // verified in this session
      [SELECT_AP, '9000'], // a new SELECT of the AP drops the verified state
      [SELECT_PIN, '9000'],
      [VERIFY_TRIES, '63C3'],
      [VERIFY_0000, '63C2'],
    ]);
    assert.deepEqual(stored.at(-1), { triesLeft: 2, blocked: false });
  });

  it('stores each attempt before comparing the PIN, and gives 6581 (no result) if it cannot', async () => {
    const { card } = await testCard({ failStore: true });
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_1234, '6581'],
      [VERIFY_TRIES, '63C2'], // the attempt still counts
      [VERIFY_0000, '6581'],
      [VERIFY_TRIES, '63C1'],
    ]);
  });

  it('loads a blocked counter as blocked', async () => {
    const { card } = await testCard({ counter: { triesLeft: 0, blocked: true } });
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_TRIES, '6983'],
      [VERIFY_1234, '6983'],
    ]);
  });
});

describe('virtual My Number card: COMPUTE DIGITAL SIGNATURE', () => {
  it('refuses with 6982 until the PIN is verified, then signs the given DigestInfo', async () => {
    const { card } = await testCard();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
      [SELECT_PIN, '9000'],
      [VERIFY_1234, '9000'],
      [SELECT_KEY, '9000'],
    ]);
    const signature = await signatureOf(card);
    assert.equal(signature.length, 256);
    assert.ok(await verifiesAbc(signature), 'verifies as RSASSA-PKCS1-v1_5 SHA-256 over "abc"');
    // PKCS#1 v1.5 is deterministic: the card's answer is what signing "abc" with SHA-256 gives.
    assert.deepEqual(signature, sign('sha256', Buffer.from('abc'), (await cardIdentity()).privateKey));
    await card.reset();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
    ]);
  });

  it('signs after the reader has authenticated the holder by face, until the session ends', async () => {
    const { card } = await testCard();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
    ]);
    card.recordFaceAuthentication();
    assert.ok(await verifiesAbc(await signatureOf(card)));
    await card.reset();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
    ]);
  });

  it('does not sign for a blocked PIN, but does after face authentication', async () => {
    const { card } = await testCard({ counter: { triesLeft: 0, blocked: true } });
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_1234, '6983'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
    ]);
    card.recordFaceAuthentication();
    assert.ok(await verifiesAbc(await signatureOf(card)));
  });

  it('keeps face authentication across a new SELECT of the AP, but not the PIN', async () => {
    const { card } = await testCard();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_PIN, '9000'],
      [VERIFY_1234, '9000'],
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [SIGN_ABC, '6982'],
    ]);
    card.recordFaceAuthentication();
    await vectors(card, [[SELECT_AP, '9000']]);
    await vectors(card, [[SELECT_KEY, '9000']]);
    assert.ok(await verifiesAbc(await signatureOf(card)));
  });
});

describe('virtual My Number card: malformed and unsupported commands', () => {
  it('answers the ISO 7816-4 status words', async () => {
    const { card } = await testCard();
    await vectors(card, [
      ['00A404', '6700'], // shorter than a header
      ['00A4040C05 D392', '6700'], // Lc says 5, 2 bytes follow
      ['00B0000000 0100', '6700'], // extended length
      ['A0A4040C0A D392F000260100000001', '6E00'], // class not supported
      ['00CA000000', '6D00'], // GET DATA: not on this AP
      [`002A008033 ${DIGEST_INFO_ABC} 00`, '6D00'], // signature needs the proprietary class 80
      ['80A4040C0A D392F000260100000001', '6D00'],
      ['00A4010C02 000A', '6A86'], // SELECT P1 01
      ['00A404000A D392F000260100000001', '6A86'], // SELECT with FCI: not supported
      ['00A4040C0A D392F00026010000000100', '6700'], // Le with P2 0C
      ['00B0000004', '6986'], // READ BINARY, no current EF
      [SELECT_AP, '9000'],
      ['00A4020C03 000A00', '6700'], // file id of 3 bytes
      [VERIFY_TRIES, '6986'], // VERIFY, no current EF
      [SIGN_ABC, '6986'],
      [SELECT_PIN, '9000'],
      ['00B0000004', '6981'], // the PIN EF is not readable
      [SIGN_ABC, '6981'], // the PIN EF is not a key
      ['0020000104 31323334', '6A86'], // VERIFY P2 must be 80
      ['0020008003 313233', '6700'], // a 3-digit PIN: not counted
      ['0020008004 3132333400', '6700'], // VERIFY with Le
      [VERIFY_TRIES, '63C3'],
      [SELECT_CERT, '9000'],
      ['00B08A0004', '6A86'], // short EF identifier in P1
      ['00B00000', '6700'], // READ BINARY without Le
      ['00B0000001 00', '6700'], // READ BINARY with data
      [VERIFY_1234, '6981'], // the certificate EF is not a PIN
      [SELECT_KEY, '9000'],
      [`802A000033 ${DIGEST_INFO_ABC} 00`, '6A86'],
      ['802A0080', '6700'], // no DigestInfo
      [`802A008033 ${DIGEST_INFO_ABC}`, '6700'], // no Le
    ]);
  });

  it('refuses a DigestInfo too long for the key and an Le too short for the signature', async () => {
    const { card } = await testCard();
    card.recordFaceAuthentication();
    await vectors(card, [
      [SELECT_AP, '9000'],
      [SELECT_KEY, '9000'],
      [`802A0080F6 ${'00'.repeat(246)} 00`, '6700'], // 2048-bit key: at most 245 bytes
      [`802A008033 ${DIGEST_INFO_ABC} 10`, '6C00'], // 256 bytes available
    ]);
  });
});
