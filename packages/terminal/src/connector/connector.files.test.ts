/**
 * The stable-file scanner of `req/`: only regular files are taken. A symbolic link — to a file
 * outside the connector's folders or to one inside — is never followed, so its target's bytes never
 * reach central or the state database.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createStableScanner, hashFile } from './connector.files.ts';

describe('connector: the req/ scanner', () => {
  let root: string;
  let req: string;
  let secret: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'onshi-scan-'));
    req = join(root, 'req');
    mkdirSync(req);
    secret = join(root, 'institution.key.pem');
    writeFileSync(secret, '-----BEGIN PRIVATE KEY-----\nnot for central\n-----END PRIVATE KEY-----\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** Two scans `settleMs` apart (0 here), as the connector does. */
  function settle(options: { maxBytes?: number } = {}) {
    let t = 0;
    const scanner = createStableScanner(req, 0, () => t++, options);
    scanner.scan();
    return scanner.scan().ready;
  }

  it('takes a regular file, and never follows a symbolic link in req/ (outside or inside the folder)', () => {
    writeFileSync(join(req, 'OQSsiquc01req_ok.xml'), '<XmlMsg/>');
    symlinkSync(secret, join(req, 'OQSsiquc01req_secret.xml'));
    symlinkSync(join(req, 'OQSsiquc01req_ok.xml'), join(req, 'OQSsiquc01req_inside.xml'));
    symlinkSync('../req/../institution.key.pem', join(req, 'OQSsiquc01req_relative.xml'));
    const ready = settle();
    assert.deepEqual(
      ready.map((f) => f.name),
      ['OQSsiquc01req_ok.xml'],
    );
    assert.equal(Buffer.from(ready[0]!.bytes).toString(), '<XmlMsg/>');
    const large = settle({ maxBytes: 1 });
    assert.deepEqual(
      large.map((f) => [f.name, f.bytes.length]),
      [['OQSsiquc01req_ok.xml', 0]],
      'a file too large to read is hashed, a link is not',
    );
  });

  it('refuses to hash a symbolic link', () => {
    assert.throws(() => hashFile(join(req, 'OQSsiquc01req_secret.xml')));
  });
});
