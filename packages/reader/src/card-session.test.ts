/** The card session over APDUs with a real virtual card: PIN, face and 目視確認 (visual). */
import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openVirtualMyNumberCard } from '@onshi/pki';
import { cardProof, placeCard, startCardSession } from './card-session.ts';
import { createTestCards, TEST_PIN, type TestCards } from './test-support.ts';

describe('card session', () => {
  let cards: TestCards;
  before(async () => {
    cards = await createTestCards(1);
  });
  after(() => cards?.remove());

  const challenge = Uint8Array.from({ length: 32 }, (_, i) => i);
  const verifies = (proof: { certificate: string; signature: string }) =>
    verify(
      'sha256',
      challenge,
      new X509Certificate(Buffer.from(proof.certificate, 'base64')).publicKey,
      Buffer.from(proof.signature, 'base64'),
    );

  it('signs nothing before an authentication', async () => {
    const placed = await placeCard(await openVirtualMyNumberCard(cards.files[0]!));
    assert.equal(placed.certificate.length > 0, true);
    await assert.rejects(cardProof(placed.session('pin'), challenge), {
      code: 'CARD_SECURITY_STATUS_NOT_SATISFIED',
    });
  });

  for (const [auth, method] of [
    [{ pin: TEST_PIN }, 'pin'],
    [{ face: true }, 'face'],
    [{ visual: true }, 'visual'],
  ] as const) {
    it(`${method}: the proof carries authMethod '${method}' and a signature the certificate verifies`, async () => {
      const session = await startCardSession(await openVirtualMyNumberCard(cards.files[0]!), auth);
      const proof = await cardProof(session, challenge);
      assert.equal(proof.authMethod, method);
      assert.equal(proof.certificate, cards.certificates[0]);
      assert.equal(proof.challenge, Buffer.from(challenge).toString('base64'));
      assert.ok(verifies(proof));
    });
  }

  it('a wrong PIN is CARD_PIN_WRONG with the tries left; a reset ends a visual authorisation', async () => {
    const card = await openVirtualMyNumberCard(cards.files[0]!);
    await assert.rejects(startCardSession(card, { pin: '0000' }), {
      code: 'CARD_PIN_WRONG',
      params: { triesLeft: 2 },
    });
    const placed = await placeCard(card);
    assert.equal(await placed.triesLeft(), 2);
    placed.authorise('visual');
    assert.ok(verifies(await cardProof(placed.session('visual'), challenge)));
    await placed.release();
    const again = await placeCard(card);
    await assert.rejects(cardProof(again.session('visual'), challenge), {
      code: 'CARD_SECURITY_STATUS_NOT_SATISFIED',
    });
  });
});
