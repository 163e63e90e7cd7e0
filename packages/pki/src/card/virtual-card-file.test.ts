import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isOnshiError } from '@onshi/core';
import { PIN_TRIES, VIRTUAL_CARD_FORMAT, type VirtualCardFile, writeVirtualCardFile } from '../card-file.ts';
import { fromHex, toHex } from './apdu.ts';
import type { Card } from './card.ts';
import { cardIdentity, TEST_PIN } from './card-fixture.ts';
import { pinTriesLeft, readUserCaCertificate, readUserCertificate, selectJpkiAp, verifyPin } from './host.ts';
import { openVirtualMyNumberCard } from './virtual-card-file.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'onshi-card-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function newCardFile(name: string, overrides: Partial<VirtualCardFile> = {}): Promise<string> {
  const { certificate, caCertificate, privateKeyPem } = await cardIdentity();
  const path = join(dir, name);
  await writeVirtualCardFile(path, {
    format: VIRTUAL_CARD_FORMAT,
    userCertificate: Buffer.from(certificate).toString('base64'),
    privateKey: privateKeyPem,
    pin: TEST_PIN,
    triesLeft: PIN_TRIES,
    blocked: false,
    issuerCertificate: Buffer.from(caCertificate).toString('base64'),
    ...overrides,
  });
  return path;
}

async function stored(path: string): Promise<{ triesLeft: number; blocked: boolean }> {
  const { triesLeft, blocked } = JSON.parse(await readFile(path, 'utf8')) as VirtualCardFile;
  return { triesLeft, blocked };
}

async function opened(path: string): Promise<Card> {
  const card = await openVirtualMyNumberCard(path);
  await selectJpkiAp(card);
  return card;
}

describe('virtual My Number card backed by its card file', () => {
  it('serves the certificates in the file', async () => {
    const { certificate, caCertificate } = await cardIdentity();
    const card = await opened(await newCardFile('serve.json'));
    assert.deepEqual(await readUserCertificate(card), certificate);
    assert.deepEqual(await readUserCaCertificate(card), caCertificate);
  });

  it('writes the counter after every change, so it survives reopening', async () => {
    const path = await newCardFile('counter.json');
    assert.deepEqual(await verifyPin(await opened(path), '0000'), {
      ok: false,
      blocked: false,
      triesLeft: 2,
    });
    assert.deepEqual(await stored(path), { triesLeft: 2, blocked: false });
    assert.equal(await pinTriesLeft(await opened(path)), 2);
    assert.deepEqual(await verifyPin(await opened(path), TEST_PIN), { ok: true });
    assert.deepEqual(await stored(path), { triesLeft: 3, blocked: false });
  });

  it('stays blocked after a restart, even with the right PIN', async () => {
    const path = await newCardFile('blocked.json');
    const card = await opened(path);
    for (let i = 0; i < 3; i++) await verifyPin(card, '0000');
    assert.deepEqual(await stored(path), { triesLeft: 0, blocked: true });
    const reopened = await opened(path);
    assert.equal(toHex(await reopened.transmit(fromHex('00A4020C020018'))), '9000');
    assert.equal(toHex(await reopened.transmit(fromHex('00200080'))), '6983');
    assert.deepEqual(await verifyPin(reopened, TEST_PIN), { ok: false, blocked: true });
    assert.deepEqual(await stored(path), { triesLeft: 0, blocked: true });
  });

  it('treats blocked: true as blocked whatever triesLeft says', async () => {
    const path = await newCardFile('flag.json', { triesLeft: 3, blocked: true });
    assert.equal(await pinTriesLeft(await opened(path)), 0);
  });

  it('keeps the other fields and leaves no temp files behind', async () => {
    const path = await newCardFile('fields.json');
    const before = JSON.parse(await readFile(path, 'utf8')) as VirtualCardFile;
    await verifyPin(await opened(path), '0000');
    const afterChange = JSON.parse(await readFile(path, 'utf8')) as VirtualCardFile;
    assert.deepEqual(afterChange, { ...before, triesLeft: 2 });
    assert.deepEqual(
      (await readdir(dir)).filter((name) => name.endsWith('.tmp')),
      [],
    );
  });

  it('refuses a damaged card file with CONFIG_INVALID', async () => {
    const path = join(dir, 'damaged.json');
    await writeFile(path, '{"format":"onshi-virtual-card/1"}');
    await assert.rejects(
      openVirtualMyNumberCard(path),
      (error) => isOnshiError(error) && error.code === 'CONFIG_INVALID',
    );
    const badKey = await newCardFile('bad-key.json', {
      privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    });
    await assert.rejects(
      openVirtualMyNumberCard(badKey),
      (error) => isOnshiError(error) && error.code === 'CONFIG_INVALID',
    );
  });
});
